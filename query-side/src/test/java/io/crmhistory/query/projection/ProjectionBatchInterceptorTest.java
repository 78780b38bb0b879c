package io.crmhistory.query.projection;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The processor's reader is stood in for by rounds scheduled an hour ahead, as its sleep on a full queue is. */
class ProjectionBatchInterceptorTest {

    private final CoordinatorScheduler reader = new CoordinatorScheduler(runnable -> new Thread(runnable, "reader-test"));
    private final AtomicInteger eventsEnded = new AtomicInteger();
    private final ProjectionBatchInterceptor interceptor = new ProjectionBatchInterceptor(new BatchedProjection() {
        @Override
        public void endOfBatch() {
            eventsEnded.incrementAndGet();
        }

        @Override
        public void segmentReleased() {
        }
    }, reader);

    @AfterEach
    void stop() {
        reader.shutdownNow();
    }

    @Test
    void theReaderIsWokenOnceWhenABatchBeginsAndTheProjectionHearsOfEveryEvent() throws Exception {
        AtomicInteger asleepBeforeTheBatch = new AtomicInteger();
        AtomicInteger asleepDuringTheBatch = new AtomicInteger();
        reader.schedule(() -> { asleepBeforeTheBatch.incrementAndGet(); }, 1, TimeUnit.HOURS);
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(List.of(event(1), event(2), event(3)));

        // each event sends the reader back to sleep, as a reader that has filled the queue again does
        batch.executeWithResult(() -> interceptor.handle(batch, () -> reader.schedule(
                () -> { asleepDuringTheBatch.incrementAndGet(); }, 1, TimeUnit.HOURS)));

        await().atMost(Duration.ofSeconds(10)).until(() -> asleepBeforeTheBatch.get() == 1);
        assertThat(eventsEnded.get()).isEqualTo(3);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> asleepDuringTheBatch.get() == 0);
    }

    @Test
    void anEventOutsideABatchWakesNothing() throws Exception {
        AtomicInteger asleep = new AtomicInteger();
        reader.schedule(() -> { asleep.incrementAndGet(); }, 1, TimeUnit.HOURS);
        DefaultUnitOfWork<EventMessage<?>> single = DefaultUnitOfWork.startAndGet(event(1));

        interceptor.handle(single, () -> null);
        single.commit();

        assertThat(eventsEnded.get()).isEqualTo(1);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> asleep.get() == 0);
    }

    private static EventMessage<?> event(int number) {
        return GenericEventMessage.asEventMessage("event " + number);
    }
}
