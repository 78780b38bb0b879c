package io.crmhistory.platform.audit;

/**
 * One row of an aggregate's stream as the event store holds it: the verifier's only input. {@code aggregateType} is
 * the row's aggregate-type column (null where not read).
 */
public record StoredEvent(long sequence, String aggregateType, String type, String revision, byte[] payload,
                          byte[] metadata) {

    public StoredEvent(long sequence, String type, String revision, byte[] payload, byte[] metadata) {
        this(sequence, null, type, revision, payload, metadata);
    }
}
