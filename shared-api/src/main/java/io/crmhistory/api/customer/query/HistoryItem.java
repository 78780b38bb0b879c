package io.crmhistory.api.customer.query;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;

/**
 * One item of a customer's timeline. {@code sequence} is the customer's event sequence number (for a
 * {@code SEGMENT_CHANGED} item: the last event the segment was evaluated after); {@code eventId} is the
 * event's identifier ({@code null} for a segment change caused by time passing or by new rules).
 * {@code details} holds the type's own fields, money as {@code {"value": "1.00", "currency": "EUR"}}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record HistoryItem(String eventId,
                          long sequence,
                          HistoryItemType type,
                          Instant occurredAt,
                          Instant recordedAt,
                          Map<String, Object> details) {
}
