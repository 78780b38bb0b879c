package io.crmhistory.api.customer.query;

import java.time.Instant;
import java.util.Map;

/**
 * One event of a customer's stream as the event store holds it, for auditors: what happened
 * ({@code type}, the event's simple class name; {@code payloadType}, the stored class name; {@code revision};
 * {@code payload}, with personal fields revealed, or absent once erased), where it sits in the stream
 * ({@code sequence}), when it happened ({@code occurredAt}, business time) and when it was recorded
 * ({@code recordedAt}, the event timestamp), and who, why and from where ({@code metadata}: principal,
 * correlationId, source, and the chain's hash and previousHash).
 */
public record AuditedEvent(String eventId,
                           long sequence,
                           String type,
                           String payloadType,
                           String revision,
                           Instant occurredAt,
                           Instant recordedAt,
                           Object payload,
                           Map<String, ?> metadata) {
}
