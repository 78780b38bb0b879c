package io.crmhistory.platform.audit;

/** One row of an aggregate's stream as the event store holds it: the verifier's only input. */
public record StoredEvent(long sequence, String type, String revision, byte[] payload, byte[] metadata) {
}
