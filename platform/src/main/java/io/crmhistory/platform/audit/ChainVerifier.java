package io.crmhistory.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;

/**
 * Recomputes an aggregate's chain from its stored rows, handed over one at a time in the order stored (by sequence
 * number), and reports the first row that does not hold: a changed payload, type, revision or business time
 * (recomputed hash differs), a changed metadata hash, a missing or renumbered row (sequence not the
 * previous one plus one), or a row moved elsewhere in the chain (its {@code previousHash} is not its
 * predecessor's hash, and its sequence is part of its hash). The hash does not cover the row's aggregate id (a
 * column beside the payload), so for customers the payload's own {@code customerId} is compared with the stream asked
 * for: rows moved to another customer's id, a whole stream included, are reported, not shown as that customer's.
 * Nor does it cover the aggregate-type column; where the caller names the type its streams have, a row of another
 * type is reported (an edited type would otherwise hide the stream from every reader that goes by it, the audit's
 * among them, while the chain still held).
 * <p>
 * A verifier keeps only the last hash, so a stream of any length is checked in constant memory as it is read.
 */
public final class ChainVerifier {

    private final String aggregateType;
    private final String idField;
    private final String aggregateId;
    private String previousHash;
    private long expectedSequence;
    private long checked;
    private ChainVerification broken;

    /** A verifier of any aggregate's chain, not checking whose the events are. */
    public ChainVerifier() {
        this(null, null, null);
    }

    /**
     * Every row must be of {@code aggregateType} (null: not checked, for rows read without their type; a row without
     * one is then a break), and every payload must name {@code aggregateId} in its field {@code idField} (null: not
     * checked).
     */
    public ChainVerifier(String aggregateType, String idField, String aggregateId) {
        this.aggregateType = aggregateType;
        this.idField = idField;
        this.aggregateId = aggregateId;
    }

    public static ChainVerification verify(List<StoredEvent> rows) {
        return verify(rows, null, null, null);
    }

    /** As {@link #verify(List)}, and every payload must name {@code aggregateId} in its field {@code idField}. */
    public static ChainVerification verify(List<StoredEvent> rows, String idField, String aggregateId) {
        return verify(rows, null, idField, aggregateId);
    }

    /** The chain of {@code rows}, as {@link #ChainVerifier(String, String, String)} checks it. */
    public static ChainVerification verify(List<StoredEvent> rows, String aggregateType, String idField,
                                           String aggregateId) {
        ChainVerifier verifier = new ChainVerifier(aggregateType, idField, aggregateId);
        for (StoredEvent row : rows) {
            if (!verifier.accept(row)) {
                break;
            }
        }
        return verifier.result();
    }

    /** Checks the next row; false once the chain is broken (nothing after the first break is looked at). */
    public boolean accept(StoredEvent row) {
        if (broken == null) {
            broken = link(row);
        }
        return broken == null;
    }

    /** The chain as far as it was handed over: valid, or where and why it first broke. */
    public ChainVerification result() {
        return broken != null ? broken : ChainVerification.valid(checked, previousHash);
    }

    /** The break {@code row} makes, or null when it links on (then it is the chain's head). */
    private ChainVerification link(StoredEvent row) {
        if (row.sequence() != expectedSequence) {
            return ChainVerification.broken(checked, expectedSequence, row.sequence() > expectedSequence
                    ? "event " + expectedSequence + " is missing" : "event " + row.sequence() + " is out of order", previousHash);
        }
        // An emptied column too: Axon's schema allows NULL there, and the audit's reads take a stream whose first row
        // is not of the customer type for an unknown customer (a 404), so a NULL would hide the history unreported.
        if (aggregateType != null && !aggregateType.equals(row.aggregateType())) {
            return ChainVerification.broken(checked, row.sequence(), row.aggregateType() == null
                    ? "the row has no aggregate type, not '" + aggregateType + "'"
                    : "the row's aggregate type is '" + row.aggregateType() + "', not '" + aggregateType + "'",
                    previousHash);
        }
        JsonNode metadata;
        JsonNode payload;
        try {
            metadata = CanonicalJson.parse(row.metadata());
            payload = CanonicalJson.parse(row.payload());
        } catch (RuntimeException notJson) {
            return ChainVerification.broken(checked, row.sequence(), "payload or metadata is not JSON", previousHash);
        }
        if (idField != null && !aggregateId.equals(text(payload, idField))) {
            return ChainVerification.broken(checked, row.sequence(), "the event belongs to " + idField + " '"
                    + text(payload, idField) + "', not to '" + aggregateId + "': it was moved between streams",
                    previousHash);
        }
        String storedHash = text(metadata, EventHashChain.HASH);
        if (storedHash == null) {
            return ChainVerification.broken(checked, row.sequence(), "no hash in the metadata", previousHash);
        }
        String storedPrevious = text(metadata, EventHashChain.PREVIOUS_HASH);
        if (!Objects.equals(storedPrevious, previousHash)) {
            return ChainVerification.broken(checked, row.sequence(), "previousHash does not link to event "
                    + (row.sequence() - 1), previousHash);
        }
        String recomputed = EventHashChain.next(previousHash, row.sequence(), row.type(), row.revision(), payload,
                EventHashChain.occurredAt(payload));
        if (!recomputed.equals(storedHash)) {
            return ChainVerification.broken(checked, row.sequence(), "content does not match its hash", previousHash);
        }
        previousHash = storedHash;
        expectedSequence++;
        checked++;
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
