package io.crmhistory.query.projection;

import io.crmhistory.api.customer.event.CustomerEvent;

import java.time.Instant;

/**
 * A customer event as the pure state logic sees it: the event, the customer's event sequence number,
 * the event's identifier and when it was recorded (business time is the event's own {@code occurredAt}).
 * Built from Axon's message by the live projections and by any replay alike.
 */
public record EventEnvelope(String eventId, long sequence, Instant recordedAt, CustomerEvent event) {

    public String customerId() {
        return event.customerId();
    }

    public Instant occurredAt() {
        return event.occurredAt().toInstant();
    }
}
