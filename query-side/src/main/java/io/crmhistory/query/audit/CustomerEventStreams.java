package io.crmhistory.query.audit;

import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import io.crmhistory.query.privacy.PersonalDataUse;
import io.crmhistory.query.privacy.PersonalDataViews;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.UnknownCustomerException;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * A customer's events straight from the event store, in sequence order, read lazily in the storage
 * engine's batches (a long stream is never held in memory whole) and through the upcasters, so personal
 * fields arrive revealed, or absent once erased.
 * <p>
 * Read from sequence 0 on purpose: {@code readEvents(id)} would start from the command side's latest
 * snapshot, whose payload is the aggregate's state, not an event.
 * <p>
 * The customer's key is looked up afresh for every read: an erasure deletes the key before it is acknowledged,
 * but this process drops its cached copy only once a projection has handled the erasure event, which can be
 * seconds or, during a rebuild, minutes later. An auditor reading after the acknowledgement must not see the
 * erased fields in the meantime.
 */
@Component
class CustomerEventStreams {

    /** The aggregate type the command side stores customer events under. */
    static final String CUSTOMER = "Customer";

    private final EventStore eventStore;
    private final PersonalDataViews views;
    private final PersonalDataProtector protector;

    CustomerEventStreams(EventStore eventStore, PersonalDataViews views, PersonalDataProtector protector) {
        this.eventStore = eventStore;
        this.views = views;
        this.protector = protector;
    }

    /**
     * The customer's events with the personal fields {@code use} names revealed, the others left out unread.
     *
     * @throws UnknownCustomerException when the store holds no customer with this id
     */
    DomainEventStream open(String customerId, PersonalDataUse use) {
        DomainEventStream stream = from(customerId, 0, use);
        DomainEventMessage<?> first = stream.peek();
        if (first == null || !CUSTOMER.equals(first.getType())) {
            throw new UnknownCustomerException(customerId);
        }
        return stream;
    }

    /** The events of a customer known to exist, from {@code firstSequence} on (none when there are no newer ones). */
    DomainEventStream from(String customerId, long firstSequence, PersonalDataUse use) {
        protector.evict(customerId);
        return views.store(use).orElse(eventStore).readEvents(customerId, firstSequence);
    }

    static EventEnvelope envelope(DomainEventMessage<?> message) {
        return new EventEnvelope(message.getIdentifier(), message.getSequenceNumber(), message.getTimestamp(),
                (CustomerEvent) message.getPayload());
    }
}
