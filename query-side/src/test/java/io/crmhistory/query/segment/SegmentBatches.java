package io.crmhistory.query.segment;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.query.projection.Events;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;

import java.util.List;

/** Batches of events handed to a segment projection as its processor hands them, for the segment tests. */
final class SegmentBatches {

    private SegmentBatches() {
    }

    /** Handles the events in one batch (one unit of work), the projection writing at its last event. */
    static void handle(SegmentProjection projection, List<EventMessage<?>> batch) {
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
        unitOfWork.executeWithResult(() -> {
            EventMessage<?> message = unitOfWork.getMessage();
            projection.on((CustomerEvent) message.getPayload(), message,
                    ((GenericDomainEventMessage<?>) message).getSequenceNumber());
            projection.endOfBatch();
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);
    }

    /** A contact by email, which moves nobody by itself, as the customer's event of this sequence. */
    static EventMessage<?> contact(String customer, long sequence) {
        CustomerEvent event = Events.of(customer).contact("k-" + customer + "-" + sequence, ContactChannel.EMAIL,
                "2026-05-30T00:00:00Z").last().event();
        return new GenericDomainEventMessage<>("Customer", customer, sequence, event);
    }
}
