package io.crmhistory.query.ops;

import io.crmhistory.query.projection.Projections;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.List;

/**
 * Where every projection stands (role ops), as SPEC section 5 lists it. Each read model has one version so far,
 * the live one, so the status is LIVE (caught up), CATCHING_UP or FAILED; REBUILDING comes with rebuilds beside
 * the live version (issue 5).
 */
@RestController
class ProjectionsController {

    private final ProjectionMonitor monitor;

    ProjectionsController(ProjectionMonitor monitor) {
        this.monitor = monitor;
    }

    @GetMapping("/api/ops/projections")
    List<ProjectionView> projections() {
        return Projections.ALL.stream().map(name -> ProjectionView.of(monitor.status(name))).toList();
    }

    /** {@code eta} is an ISO-8601 duration, absent while nothing is being processed and the projection is behind. */
    record ProjectionView(String name, int version, String status, long position, long headPosition, long lag,
                          double progress, double eventsPerSecond, String eta) {

        static final int LIVE_VERSION = 1;

        static ProjectionView of(ProjectionMonitor.Status status) {
            String state = status.error() || !status.running() ? "FAILED" : status.lag() == 0 ? "LIVE" : "CATCHING_UP";
            String eta = status.lag() == 0 ? Duration.ZERO.toString()
                    : status.eventsPerSecond() > 0
                    ? Duration.ofSeconds((long) Math.ceil(status.lag() / status.eventsPerSecond())).toString() : null;
            return new ProjectionView(status.projection(), LIVE_VERSION, state, status.position(), status.head(),
                    status.lag(), ProjectionMonitor.progress(status.position(), status.head()), status.eventsPerSecond(),
                    eta);
        }
    }
}
