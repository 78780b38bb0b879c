package io.crmhistory.query.ops;

import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.ReadModel;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code projections} in {@code /actuator/health}: DOWN when a live projection's processor is not running or
 * has failed (it retries on its own; the error says why), UP otherwise, with each projection's version,
 * position, the head of the store, the lag, its dead letters, any rebuild beside it and the replaced versions not
 * dropped yet ({@code retired}: their collections still take space, and dropping them is work). A lag alone is not
 * unhealthy (it is a projection catching up; reads that need the newest data say so with
 * {@code minVersion}), nor are dead letters: the rest of the customers are served, and ops handle the letters.
 */
@Component("projections")
class ProjectionsHealthIndicator extends AbstractHealthIndicator {

    private final ProjectionProcessors processors;
    private final ProjectionMonitor monitor;
    private final ProjectionCatalog catalog;

    ProjectionsHealthIndicator(ProjectionProcessors processors, ProjectionMonitor monitor, ProjectionCatalog catalog) {
        super("Projections health check failed");
        this.processors = processors;
        this.monitor = monitor;
        this.catalog = catalog;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean healthy = true;
        for (ReadModel<?> model : processors.readModels()) {
            ProjectionMonitor.Status status = monitor.status(model.name(), ProjectionMonitor.Role.LIVE).orElseThrow();
            Map<String, Object> details = details(status, monitor.deadLetters(status.version()));
            monitor.status(model.name(), ProjectionMonitor.Role.REBUILD)
                    .ifPresent(rebuild -> details.put("rebuild", details(rebuild, monitor.deadLetters(rebuild.version()))));
            details.put("retired", Optional.ofNullable(catalog.entry(model.name()).retired()).orElse(List.of()).stream()
                    .map(ProjectionCatalog.Retired::version).toList());
            healthy &= status.running() && !status.error();
            builder.withDetail(model.name(), details);
        }
        if (healthy) {
            builder.up();
        } else {
            builder.down();
        }
    }

    private static Map<String, Object> details(ProjectionMonitor.Status status, long deadLetters) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", status.version().version());
        details.put("running", status.running());
        details.put("position", status.position());
        details.put("head", status.head());
        details.put("lag", status.lag());
        details.put("eventsPerSecond", status.eventsPerSecond());
        details.put("deadLetters", deadLetters);
        if (status.error()) {
            details.put("error", status.errorMessage());
        }
        return details;
    }
}
