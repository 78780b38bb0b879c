package io.crmhistory.command.customer.email;

import java.util.Locale;

/**
 * Who owns which email address: one customer at most per address (SPEC section 4), enforced in the
 * event store's database within the transaction that appends the customer's events, so the check
 * holds under concurrency and across processes, and a failed command leaves no claim behind.
 */
public interface EmailClaims {

    /**
     * Claims {@code email} for {@code customerId}; a no-op if the customer already holds it.
     *
     * @throws io.crmhistory.command.customer.CustomerConflictException naming {@code email} when
     *                                                                   another customer holds it
     */
    void claim(String customerId, String email);

    /** Moves the customer's claim from {@code previous} (may be null) to {@code next}. */
    default void change(String customerId, String previous, String next) {
        claim(customerId, next);
        if (previous != null && !normalize(previous).equals(normalize(next))) {
            release(customerId, previous);
        }
    }

    /** Gives up the customer's claim on {@code email}, if it holds it. */
    void release(String customerId, String email);

    /** Gives up every claim of the customer (erasure): their addresses can be registered by others. */
    void releaseAll(String customerId);

    /** Addresses that differ only in case or surrounding spaces are the same address. */
    static String normalize(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
