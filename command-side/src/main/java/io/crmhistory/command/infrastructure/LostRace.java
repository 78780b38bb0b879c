package io.crmhistory.command.infrastructure;

import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * An append that lost to another command-side instance appending to the same stream first: a
 * {@link ConcurrencyException} for a stream that existed, an {@link AggregateStreamCreationException} for one both
 * started (two registrations of one new customer id, the rule book's first publication). Axon's JDBC engine throws the
 * second for a clash at sequence 0, and it is not a {@link ConcurrencyException}. Either is retried against the fresh
 * state, and answered 409 if it keeps losing; neither is a rejection of the command itself.
 */
public final class LostRace {

    private LostRace() {
    }

    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException) {
                return true;
            }
        }
        return false;
    }
}
