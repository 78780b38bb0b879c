package io.crmhistory.query.projection;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The thread a projection's Axon coordinator (its reading thread) runs on, which can run the coordinator's next
 * round now instead of at the time it chose.
 * <p>
 * Axon's pooled processor stops reading events once a work package holds 1,024 of them, and its coordinator then
 * looks again only 100 ms later: it schedules its own next round with that delay, and a processed batch does not
 * wake it. A projection takes what is queued as one batch and is through 1,024 events sooner than that, so it waited
 * for the sleeping reader, about a sixth of a value rebuild at 100,000 customers (docs/benchmarks-log.md, session
 * 47). {@link ProjectionBatchInterceptor} calls {@link #runDelayedNow()} when a batch begins, having just taken the
 * queued events: the round then finds room and reads the next events while the batch runs. Running a round early
 * is what its delay running out does (Axon's scheduled task only clears its gate and runs).
 */
final class CoordinatorScheduler extends ScheduledThreadPoolExecutor {

    private final AtomicReference<Delayed> delayed = new AtomicReference<>();

    private record Delayed(Runnable task, ScheduledFuture<?> future) {
    }

    CoordinatorScheduler(ThreadFactory thread) {
        super(1, thread);
        setRemoveOnCancelPolicy(true); // a round brought forward leaves no cancelled task queued until its time
    }

    /** Remembers a round scheduled with a delay (Axon's coordinator schedules its rounds as {@code Runnable}s). */
    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        ScheduledFuture<?> future = super.schedule(task, delay, unit);
        if (delay > 0) {
            delayed.set(new Delayed(task, future));
        }
        return future;
    }

    /**
     * Runs the task last scheduled with a delay now, unless it has run, is running or was cancelled meanwhile. Does
     * nothing once the processor's threads are stopped: a batch that outlived its processor's stop (its last batch
     * may take longer than the stop waits) must still end normally.
     */
    void runDelayedNow() {
        Delayed waiting = delayed.getAndSet(null);
        if (waiting == null || isShutdown() || !waiting.future().cancel(false)) {
            return;
        }
        try {
            execute(waiting.task());
        } catch (RejectedExecutionException stoppedMeanwhile) {
            // the processor stopped between the check and now: its reader needs no waking
        }
    }
}
