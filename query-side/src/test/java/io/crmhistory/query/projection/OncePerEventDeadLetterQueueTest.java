package io.crmhistory.query.projection;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.InMemorySequencedDeadLetterQueue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch delivered again after a crash: what Axon's invoker asks the queue, and what must be queued. */
class OncePerEventDeadLetterQueueTest {

    private final InMemorySequencedDeadLetterQueue<EventMessage<?>> store = InMemorySequencedDeadLetterQueue.defaultQueue();
    private final List<String> told = new ArrayList<>();
    private final OncePerEventDeadLetterQueue<EventMessage<?>> queue = new OncePerEventDeadLetterQueue<>(store,
            event -> told.add(event.getIdentifier()));

    private final DomainEventMessage<String> registered = event("c-1", 0);
    private final DomainEventMessage<String> poison = event("c-1", 1);
    private final DomainEventMessage<String> later = event("c-1", 2);

    @Test
    void aFailedEventDeliveredAgainStaysQueuedOnce() {
        queue.enqueue("c-1", failed(poison));
        assertThat(queue.enqueueIfPresent("c-1", () -> letter(poison))).as("still held back").isTrue();
        queue.enqueue("c-1", failed(poison));

        assertThat(eventsQueued("c-1")).containsExactly(poison.getIdentifier());
    }

    @Test
    void laterEventsQueueBehindOnceAndEarlierOnesAreLeftToTheProjection() {
        queue.enqueue("c-1", failed(poison));
        assertThat(queue.enqueueIfPresent("c-1", () -> letter(later))).isTrue();

        // Delivered again: the event handled before the failure, the failed one, the one behind it.
        assertThat(queue.enqueueIfPresent("c-1", () -> letter(registered))).as("handled before the failure").isFalse();
        assertThat(queue.enqueueIfPresent("c-1", () -> letter(poison))).isTrue();
        assertThat(queue.enqueueIfPresent("c-1", () -> letter(later))).isTrue();

        assertThat(eventsQueued("c-1")).containsExactly(poison.getIdentifier(), later.getIdentifier());
    }

    /**
     * The read model is told of a held event again when it is delivered again: an erasure held behind a letter is
     * then applied ahead of the batch's writes again, whose first delivery may have crashed before its own scrub.
     */
    @Test
    void aHeldEventDeliveredAgainIsToldAgain() {
        queue.enqueue("c-1", failed(poison));
        assertThat(queue.enqueueIfPresent("c-1", () -> letter(later))).isTrue();

        assertThat(queue.enqueueIfPresent("c-1", () -> letter(later))).isTrue();
        queue.enqueue("c-1", failed(poison));

        assertThat(told).containsExactly(poison.getIdentifier(), later.getIdentifier(), later.getIdentifier(),
                poison.getIdentifier());
        assertThat(eventsQueued("c-1")).containsExactly(poison.getIdentifier(), later.getIdentifier());
    }

    @Test
    void aCustomerWithoutLettersIsNotHeldBack() {
        queue.enqueue("c-1", failed(poison));
        assertThat(queue.enqueueIfPresent("c-2", () -> {
            throw new AssertionError("no letter is built for a sequence that is not queued");
        })).isFalse();
        assertThat(queue.size()).isEqualTo(1);
    }

    private List<String> eventsQueued(String sequence) {
        List<String> ids = new ArrayList<>();
        queue.deadLetterSequence(sequence).forEach(letter -> ids.add(letter.message().getIdentifier()));
        return ids;
    }

    private static DomainEventMessage<String> event(String customer, long sequence) {
        return new GenericDomainEventMessage<>("Customer", customer, sequence, "event " + sequence);
    }

    private static DeadLetter<EventMessage<?>> letter(EventMessage<?> event) {
        return new GenericDeadLetter<>("c-1", event);
    }

    private static DeadLetter<EventMessage<?>> failed(EventMessage<?> event) {
        return new GenericDeadLetter<>("c-1", event, new IllegalStateException("cannot be projected"));
    }
}
