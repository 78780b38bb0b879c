package io.crmhistory.query.projection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Axon's coordinator schedules its rounds as {@code Runnable}s, as these do. */
class CoordinatorSchedulerTest {

    private final CoordinatorScheduler scheduler = new CoordinatorScheduler(runnable -> new Thread(runnable, "coordinator-test"));

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aRoundScheduledForLaterRunsNowWhenAsked() {
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> later = scheduler.schedule(() -> { runs.incrementAndGet(); }, 1, TimeUnit.HOURS);

        scheduler.runDelayedNow();

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 1);
        assertThat(later.isCancelled()).isTrue();
        assertThat(scheduler.getQueue()).isEmpty(); // the cancelled round does not wait out its hour in the queue
        scheduler.runDelayedNow(); // nothing is waiting any more
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 1);
    }

    @Test
    void aRoundThatHasRunIsNotRunAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        scheduler.schedule(() -> { runs.incrementAndGet(); }, 1, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);

        scheduler.runDelayedNow();

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 1);
    }

    @Test
    void aBatchEndingAfterTheStopWakesNothingAndFailsNothing() {
        AtomicInteger runs = new AtomicInteger();
        scheduler.schedule(() -> { runs.incrementAndGet(); }, 1, TimeUnit.HOURS);
        scheduler.shutdownNow();

        scheduler.runDelayedNow();

        assertThat(runs.get()).isZero();
    }

    @Test
    void onlyTheLastDelayedRoundIsBroughtForward() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        ScheduledFuture<?> earlier = scheduler.schedule(() -> { first.incrementAndGet(); }, 1, TimeUnit.HOURS);
        scheduler.schedule(() -> { second.incrementAndGet(); }, 1, TimeUnit.HOURS);
        scheduler.execute(() -> { }); // an immediate round is not a delayed one

        scheduler.runDelayedNow();

        await().atMost(Duration.ofSeconds(10)).until(() -> second.get() == 1);
        assertThat(first.get()).isZero();
        assertThat(earlier.isCancelled()).isFalse();
    }
}
