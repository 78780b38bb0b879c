package io.crmhistory.query.projection;

/**
 * A read model's state of one customer, which remembers the sequence number of the last event it
 * applied ({@code -1} before any): an event at or below it has been applied already and is skipped,
 * which makes replays and redeliveries harmless.
 */
public interface SequencedState {

    String id();

    long lastSequence();
}
