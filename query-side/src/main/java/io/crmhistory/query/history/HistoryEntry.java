package io.crmhistory.query.history;

import java.time.Instant;
import java.util.Map;

/**
 * One stored timeline item. The id ({@code <customer>/<sequence, 19 digits>/e}) orders a customer's
 * items by sequence where business times tie, and makes rewriting an item idempotent.
 */
public record HistoryEntry(String id,
                           String customerId,
                           long sequence,
                           String eventId,
                           String type,
                           Instant occurredAt,
                           Instant recordedAt,
                           String channel,
                           Map<String, Object> details) {
}
