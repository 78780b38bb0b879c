package io.crmhistory.query.projection;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.DeadLetterQueueOverflowException;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.NoSuchDeadLetterException;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.annotation.Nonnull;

/**
 * A dead-letter queue that holds each event at most once per sequence.
 * <p>
 * A projection writes a letter the moment an event fails, but the processor stores its token only at the end of
 * the batch; the queue and the token are not in one transaction (MongoDB, no transactions on the embedded
 * server). After a crash between the two, the batch is delivered again, the customer's sequence is found in the
 * queue, and Axon's invoker enqueues the same events behind their own letters. Ops would then see, retry and
 * drop every such event twice. This queue answers "already queued" for an event whose identifier is in its
 * sequence, so the event is still held back, once, and lets through the customer's events that precede the
 * sequence's first letter, which were handled before it failed. Reading the sequence costs a query, but only on
 * the rare path: an event that failed, or one of a customer who already has letters.
 */
final class OncePerEventDeadLetterQueue<M extends EventMessage<?>> implements SequencedDeadLetterQueue<M> {

    private static final Logger log = LoggerFactory.getLogger(OncePerEventDeadLetterQueue.class);

    private final SequencedDeadLetterQueue<M> delegate;
    /**
     * Told of each event this queue takes (ReadModel#heldBehindDeadLetters), and again when one it holds is delivered
     * again; its failures are logged, not thrown.
     */
    private final Consumer<? super M> queued;

    OncePerEventDeadLetterQueue(SequencedDeadLetterQueue<M> delegate) {
        this(delegate, message -> { });
    }

    OncePerEventDeadLetterQueue(SequencedDeadLetterQueue<M> delegate, Consumer<? super M> queued) {
        this.delegate = delegate;
        this.queued = queued;
    }

    @Override
    public void enqueue(@Nonnull Object sequenceIdentifier, @Nonnull DeadLetter<? extends M> letter)
            throws DeadLetterQueueOverflowException {
        if (held(sequenceIdentifier, letter.message()).includesEvent()) {
            log.info("Event {} of sequence {} is already dead-lettered (delivered again after a restart); not queued twice",
                    letter.message().getIdentifier(), sequenceIdentifier);
            tellQueued(letter.message());
            return;
        }
        delegate.enqueue(sequenceIdentifier, letter);
        tellQueued(letter.message());
    }

    private void tellQueued(M message) {
        try {
            queued.accept(message);
        } catch (RuntimeException e) {
            log.error("Event {} ({}) is held behind its customer's dead letters, but what its read model does for a "
                    + "held-back event failed; it is done when the sequence is retried", message.getIdentifier(),
                    message.getPayloadType().getSimpleName(), e);
        }
    }

    /**
     * Queues the event behind its sequence's letters, unless it is already one of them (then it stays held back,
     * once) or it comes before the first of them: that one was handled before the sequence's first failure and is
     * only delivered again, so it is left to the projection, which skips what it has applied.
     */
    @Override
    public boolean enqueueIfPresent(@Nonnull Object sequenceIdentifier,
                                    @Nonnull Supplier<DeadLetter<? extends M>> letterBuilder)
            throws DeadLetterQueueOverflowException {
        if (!delegate.contains(sequenceIdentifier)) {
            return false;
        }
        DeadLetter<? extends M> letter = letterBuilder.get();
        Held held = held(sequenceIdentifier, letter.message());
        if (held.includesEvent()) {
            // Told again: the batch delivered again may write its customer's earlier events once more (an erasure
            // held here is then applied ahead of them again; the first delivery's scrub after its commit may never
            // have run, if it crashed or failed before).
            tellQueued(letter.message());
            return true;
        }
        if (held.first() != null && precedes(letter.message(), held.first())) {
            return false;
        }
        delegate.enqueue(sequenceIdentifier, letter);
        tellQueued(letter.message());
        return true;
    }

    /** What a sequence holds: whether {@code event} is one of its letters, and its first letter's event (or null). */
    private record Held(boolean includesEvent, EventMessage<?> first) {
    }

    private Held held(Object sequenceIdentifier, EventMessage<?> event) {
        EventMessage<?> first = null;
        for (DeadLetter<? extends M> queued : delegate.deadLetterSequence(sequenceIdentifier)) {
            if (queued.message().getIdentifier().equals(event.getIdentifier())) {
                return new Held(true, first);
            }
            if (first == null) {
                first = queued.message();
            }
        }
        return new Held(false, first);
    }

    private static boolean precedes(EventMessage<?> event, EventMessage<?> firstHeld) {
        return event instanceof DomainEventMessage<?> domain && firstHeld instanceof DomainEventMessage<?> held
                && domain.getAggregateIdentifier().equals(held.getAggregateIdentifier())
                && domain.getSequenceNumber() < held.getSequenceNumber();
    }

    @Override
    public void evict(DeadLetter<? extends M> letter) {
        delegate.evict(letter);
    }

    @Override
    public void requeue(@Nonnull DeadLetter<? extends M> letter,
                        @Nonnull UnaryOperator<DeadLetter<? extends M>> letterUpdater) throws NoSuchDeadLetterException {
        delegate.requeue(letter, letterUpdater);
    }

    @Override
    public boolean contains(@Nonnull Object sequenceIdentifier) {
        return delegate.contains(sequenceIdentifier);
    }

    @Override
    public Iterable<DeadLetter<? extends M>> deadLetterSequence(@Nonnull Object sequenceIdentifier) {
        return delegate.deadLetterSequence(sequenceIdentifier);
    }

    @Override
    public Iterable<Iterable<DeadLetter<? extends M>>> deadLetters() {
        return delegate.deadLetters();
    }

    @Override
    public boolean isFull(@Nonnull Object sequenceIdentifier) {
        return delegate.isFull(sequenceIdentifier);
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public long sequenceSize(@Nonnull Object sequenceIdentifier) {
        return delegate.sequenceSize(sequenceIdentifier);
    }

    @Override
    public long amountOfSequences() {
        return delegate.amountOfSequences();
    }

    @Override
    public boolean process(@Nonnull Predicate<DeadLetter<? extends M>> sequenceFilter,
                           @Nonnull Function<DeadLetter<? extends M>, EnqueueDecision<M>> processingTask) {
        return delegate.process(sequenceFilter, processingTask);
    }

    @Override
    public void clear() {
        delegate.clear();
    }
}
