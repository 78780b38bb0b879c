package io.crmhistory.query.projection;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Read-your-writes: a read may ask to wait until the read model reflects at least a given version of
 * the customer (the {@code version} the command side answered). The projections of this instance
 * signal each committed batch, so a waiting read wakes as soon as its version is written; it also
 * re-reads at a short interval, so it works as well when another instance runs the projection.
 * The wait is bounded by {@code crm.read.max-wait}; then {@link ReadModelBehindException} says how
 * far the read model got, rather than answering with stale data.
 */
@Component
public class ReadModelVersions {

    /** Re-read at least this often, for projections running in another instance. */
    private static final long POLL_MILLIS = 200;

    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final List<CommitListener> committedListeners = new CopyOnWriteArrayList<>();
    private final Duration maxWait;

    public ReadModelVersions(@Value("${crm.read.max-wait:5s}") Duration maxWait) {
        this.maxWait = maxWait;
    }

    /** Told of every batch committed in this instance. */
    @FunctionalInterface
    public interface CommitListener {

        /**
         * @param live whether the version that wrote the batch answers reads: false for a version being rebuilt,
         *             whose documents nothing derived from the live version needs to follow
         */
        void committed(String readModel, Set<String> customerIds, boolean live);
    }

    /** Tells {@code listener} the read model and customers of every batch committed in this instance. */
    public void onCommitted(CommitListener listener) {
        committedListeners.add(listener);
    }

    /**
     * Tells the listeners of {@link #onCommitted} that these customers' documents in the live version changed outside
     * a projection batch (a re-evaluation of every customer); their versions did not move, so no waiting reader is
     * woken.
     */
    public void changed(String readModel, Set<String> customerIds) {
        if (!customerIds.isEmpty()) {
            committedListeners.forEach(listener -> listener.committed(readModel, customerIds, true));
        }
    }

    /**
     * Called by the projections after a batch was committed; {@code live} as for {@link CommitListener}. A waiting
     * read is woken either way: it reads the live version again and waits on if that is still behind.
     */
    void reached(String readModel, Map<String, Long> versions, boolean live) {
        committedListeners.forEach(listener -> listener.committed(readModel, versions.keySet(), live));
        if (waiting.isEmpty()) {
            return;
        }
        versions.keySet().forEach(customerId -> {
            CompletableFuture<Void> signal = waiting.remove(key(readModel, customerId));
            if (signal != null) {
                signal.complete(null);
            }
        });
    }

    /**
     * Reads the customer's document, waiting for {@code minVersion} when it is given.
     *
     * @return the document, or empty when the customer is unknown to the read model (and no version was asked for)
     * @throws ReadModelBehindException when {@code minVersion} was not reached in time
     */
    public <T> Optional<T> read(String readModel, String customerId, Long minVersion,
                                Supplier<Optional<T>> read, ToLongFunction<T> versionOf) {
        Optional<T> document = read.get();
        if (minVersion == null || reached(document, versionOf, minVersion)) {
            return document;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        String key = key(readModel, customerId);
        CompletableFuture<Void> signal = null;
        try {
            while (true) {
                signal = waiting.computeIfAbsent(key, absent -> new CompletableFuture<>());
                document = read.get();
                if (reached(document, versionOf, minVersion)) {
                    return document;
                }
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remaining <= 0) {
                    throw new ReadModelBehindException(readModel, customerId, minVersion,
                            document.map(versionOf::applyAsLong).orElse(-1L), maxWait);
                }
                try {
                    signal.get(Math.min(remaining, POLL_MILLIS), TimeUnit.MILLISECONDS);
                } catch (TimeoutException pollAgain) {
                    // re-read below: the projection may run in another instance
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ReadModelBehindException(readModel, customerId, minVersion,
                            document.map(versionOf::applyAsLong).orElse(-1L), maxWait);
                } catch (ExecutionException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
        } finally {
            // Only a batch committed in this instance removes a signal, so one left behind would stay for good when
            // the customer is unknown or written by another instance: any reader could fill the map. remove(key,
            // signal) leaves a newer signal of another reader alone; another reader still waiting on this one
            // notices a commit at its next poll at the latest.
            if (signal != null) {
                waiting.remove(key, signal);
            }
        }
    }

    /** Reads waiting for a version right now (one signal per read model and customer). */
    int waitingReads() {
        return waiting.size();
    }

    private static <T> boolean reached(Optional<T> document, ToLongFunction<T> versionOf, long minVersion) {
        return document.isPresent() && versionOf.applyAsLong(document.get()) >= minVersion;
    }

    private static String key(String readModel, String customerId) {
        return readModel + '\u0000' + customerId;
    }
}
