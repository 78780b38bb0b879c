package io.crmhistory.query.ops;

import io.crmhistory.query.projection.BackgroundRefresh;
import io.crmhistory.query.projection.BackgroundRefreshes;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code refreshes} in {@code /actuator/health}: each background refresh of figures derived from other read models
 * (the segment and forecast on each directory entry), with whether it has checked its ledger since the start, the
 * full refreshes since the start, its queued runs, how long the current run has been running and the last failure.
 * Always UP: a refresh running or failed leaves those figures behind for a while (eventually consistent, like every
 * read model), and a failed run is followed by a full refresh.
 */
@Component("refreshes")
class RefreshesHealthIndicator extends AbstractHealthIndicator {

    private final BackgroundRefreshes refreshes;

    RefreshesHealthIndicator(BackgroundRefreshes refreshes) {
        super("Background refreshes health check failed");
        this.refreshes = refreshes;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up();
        for (BackgroundRefresh refresh : refreshes.all()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("startChecked", refresh.isStartChecked());
            details.put("fullRuns", refresh.fullRuns());
            details.put("queued", refresh.queued());
            details.put("runningForMillis", refresh.runningFor().toMillis());
            if (refresh.lastFailure() != null) {
                details.put("lastFailure", refresh.lastFailure());
            }
            builder.withDetail(refresh.name(), details);
        }
    }
}
