package io.crmhistory.query.projection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * One background thread that keeps figures derived from other read models fresh: a full refresh on demand, and
 * the customers named since the last run, coalesced. A failed run is logged and left to the next trigger.
 */
public final class BackgroundRefresh implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackgroundRefresh.class);

    private final String name;
    private final ExecutorService worker;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    public BackgroundRefresh(String name) {
        this.name = name;
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code refresh} on the background thread. */
    public void run(Runnable refresh) {
        worker.execute(() -> {
            try {
                refresh.run();
            } catch (RuntimeException e) {
                log.warn("{} failed, the next trigger retries it: {}", name, e.toString());
            }
        });
    }

    /** Queues these customers; {@code refresh} is then run with every customer queued since its last run. */
    public void customers(Set<String> customerIds, Consumer<List<String>> refresh) {
        if (pending.addAll(customerIds)) {
            run(() -> {
                List<String> queued = List.copyOf(pending);
                pending.removeAll(queued);
                if (!queued.isEmpty()) {
                    refresh.accept(queued);
                }
            });
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
