package io.crmhistory.query.projection;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes the query side's background refreshes, each with its {@link RefreshLedger}, and shows what they do: the
 * gauges {@code crm.refresh.queued} and {@code crm.refresh.running.seconds}, the counters
 * {@code crm.refresh.full.runs} and {@code crm.refresh.customers} (tag {@code refresh}) and the
 * {@code refreshes} component of {@code /actuator/health}. A benchmark waits for them to be idle before it
 * measures, an operator sees why a start keeps the cores busy.
 */
@Component
public class BackgroundRefreshes {

    private final MongoTemplate mongo;
    private final MeterRegistry registry;
    private final Duration beatEvery;
    private final Duration staleAfter;
    private final List<BackgroundRefresh> refreshes = new CopyOnWriteArrayList<>();

    BackgroundRefreshes(MongoTemplate mongo, MeterRegistry registry,
                        @Value("${crm.refresh.heartbeat-interval:10s}") Duration beatEvery,
                        @Value("${crm.refresh.stale-after:60s}") Duration staleAfter) {
        this.mongo = mongo;
        this.registry = registry;
        this.beatEvery = beatEvery;
        this.staleAfter = staleAfter;
    }

    BackgroundRefresh create(String name) {
        BackgroundRefresh refresh = new BackgroundRefresh(name);
        Gauge.builder("crm.refresh.queued", refresh, BackgroundRefresh::queued).tag("refresh", name)
                .description("Runs of the background refresh queued or running").register(registry);
        Gauge.builder("crm.refresh.running.seconds", refresh, r -> r.runningFor().toMillis() / 1000.0)
                .tag("refresh", name).description("How long the background refresh's current run has been running")
                .register(registry);
        FunctionCounter.builder("crm.refresh.full.runs", refresh, BackgroundRefresh::fullRuns).tag("refresh", name)
                .description("Full refreshes (every customer) asked for since the start").register(registry);
        FunctionCounter.builder("crm.refresh.customers", refresh, BackgroundRefresh::customersRefreshed)
                .tag("refresh", name).description("Customers refreshed one by one, after batches that changed them")
                .register(registry);
        refreshes.add(refresh);
        return refresh;
    }

    /** The ledger of the refresh named {@code name}, on operational time. */
    RefreshLedger ledger(String name) {
        return new RefreshLedger(mongo, name, Clock.systemUTC(), beatEvery, staleAfter);
    }

    public List<BackgroundRefresh> all() {
        return List.copyOf(refreshes);
    }
}
