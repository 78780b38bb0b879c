package io.crmhistory.query.projection;

import io.crmhistory.platform.concurrent.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One background thread that keeps figures derived from other read models fresh: a full refresh on demand, and
 * the customers named since the last run, coalesced. A failed run is logged and remembered until its owner
 * {@linkplain #takeFailure() takes it} (a customers' run that failed has lost them, so the owner refreshes
 * everyone). What it is doing shows in {@code /actuator/health} and as gauges ({@link BackgroundRefreshes}).
 */
public final class BackgroundRefresh {

    private static final Logger log = LoggerFactory.getLogger(BackgroundRefresh.class);

    private final String name;
    private final ExecutorService worker;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicInteger fullRuns = new AtomicInteger();
    private final AtomicLong customersRefreshed = new AtomicLong();
    private volatile boolean startChecked;
    private volatile long runningSince;
    private volatile String lastFailure;

    BackgroundRefresh(String name) {
        this.name = name;
        this.worker = Executors.newSingleThreadExecutor(DaemonThreads.named(name));
    }

    public String name() {
        return name;
    }

    /** Runs {@code refresh}, a refresh of every customer, on the background thread. */
    void runFull(Runnable refresh) {
        fullRuns.incrementAndGet();
        submit(refresh);
    }

    private void submit(Runnable refresh) {
        queued.incrementAndGet();
        try {
            worker.execute(() -> {
                runningSince = System.nanoTime();
                try {
                    refresh.run();
                } catch (RuntimeException e) {
                    lastFailure = e.toString();
                    failed.set(true);
                    log.warn("{} failed, a full refresh follows: {}", name, e.toString());
                } finally {
                    runningSince = 0;
                    queued.decrementAndGet();
                }
            });
        } catch (RuntimeException rejected) {
            // Stopping: the run is not done, which finish() reports.
            queued.decrementAndGet();
            failed.set(true);
        }
    }

    /** Queues these customers; {@code refresh} is then run with every customer queued since its last run. */
    void customers(Set<String> customerIds, Consumer<List<String>> refresh) {
        if (pending.addAll(customerIds)) {
            submit(() -> {
                List<String> queuedCustomers = List.copyOf(pending);
                pending.removeAll(queuedCustomers);
                if (!queuedCustomers.isEmpty()) {
                    refresh.accept(queuedCustomers);
                    customersRefreshed.addAndGet(queuedCustomers.size());
                }
            });
        }
    }

    /** True once after a run failed (its work is lost), false otherwise. */
    boolean takeFailure() {
        return failed.getAndSet(false);
    }

    /** Runs queued or running, this one included. */
    public int queued() {
        return queued.get();
    }

    /** How long the current run has been running, zero when idle. */
    public Duration runningFor() {
        long since = runningSince;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /** Full refreshes asked for since this process started. */
    public int fullRuns() {
        return fullRuns.get();
    }

    /** Customers refreshed one by one (named after their batches, not in a full refresh) since the start. */
    public long customersRefreshed() {
        return customersRefreshed.get();
    }

    /** The owner has decided, from its {@link RefreshLedger}, whether the start needs a full refresh. */
    void startChecked() {
        startChecked = true;
    }

    public boolean isStartChecked() {
        return startChecked;
    }

    public String lastFailure() {
        return lastFailure;
    }

    /**
     * Stops taking work and waits up to {@code patience} for what is queued.
     *
     * @return true when everything queued was done and nothing failed, so nothing this refresh owed is lost
     */
    boolean finish(Duration patience) {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
            return false;
        }
        return !failed.get() && pending.isEmpty();
    }
}
