package io.crmhistory.query.ops;

import io.crmhistory.query.projection.Projections;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code projections} in {@code /actuator/health}: DOWN when a projection's processor is not running
 * or has failed (it retries on its own; the error says why), UP otherwise, with each projection's
 * position, the head of the store and the lag. A lag alone is not unhealthy: it is a projection
 * catching up, and reads that need the newest data say so with {@code minVersion}.
 */
@Component("projections")
class ProjectionsHealthIndicator extends AbstractHealthIndicator {

    private final ProjectionMonitor monitor;

    ProjectionsHealthIndicator(ProjectionMonitor monitor) {
        super("Projections health check failed");
        this.monitor = monitor;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean healthy = true;
        for (String projection : Projections.ALL) {
            ProjectionMonitor.Status status = monitor.status(projection);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("running", status.running());
            details.put("position", status.position());
            details.put("head", status.head());
            details.put("lag", status.lag());
            details.put("eventsPerSecond", status.eventsPerSecond());
            if (status.error()) {
                details.put("error", status.errorMessage());
            }
            healthy &= status.running() && !status.error();
            builder.withDetail(projection, details);
        }
        if (healthy) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
