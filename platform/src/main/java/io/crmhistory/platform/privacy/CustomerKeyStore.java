package io.crmhistory.platform.privacy;

import javax.crypto.SecretKey;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Optional;

/** Each customer's data key (AES-256): created on first use, gone for good once destroyed. */
public interface CustomerKeyStore {

    /** The customer's key, or empty when it was never created or has been destroyed. */
    Optional<SecretKey> find(String customerId);

    /**
     * The customer's key, created (and stored) when there is none. Works with or without a transaction: a store
     * backed by the caller's database stores a new key in the caller's transaction when there is one (and forgets it
     * if that transaction does not commit), else at once.
     */
    SecretKey findOrCreate(String customerId);

    /**
     * Creates the keys of those of these customers who have none, ahead of their first use: a batch of new
     * customers (an import) can then share the cost of storing their keys. A store backed by the caller's database
     * stores them in the caller's transaction and forgets them when that transaction does not commit; it refuses to
     * run without one, since nobody would then tell it whether the keys it holds in memory were ever stored.
     *
     * @return the customers whose key this call created (those it cannot tell about left out)
     */
    default Set<String> createMissing(Collection<String> customerIds) {
        Set<String> created = new LinkedHashSet<>();
        for (String customerId : customerIds) {
            if (find(customerId).isEmpty()) {
                findOrCreate(customerId);
                created.add(customerId);
            }
        }
        return created;
    }

    /**
     * Reads into memory, in as few queries as it can, the keys of those of these customers it does not hold, and
     * holds them until {@link HeldKeys#release()}: a batch of events about many customers then costs one read of
     * their keys instead of one per customer. Only a hint: a key destroyed meanwhile is not found.
     */
    default HeldKeys prefetch(Collection<String> customerIds) {
        return HeldKeys.NONE;
    }

    /** The keys a {@link #prefetch} holds in memory for its caller (a batch of events) until it releases them. */
    @FunctionalInterface
    interface HeldKeys {

        HeldKeys NONE = () -> { };

        void release();
    }

    /** Destroys the customer's key, within the caller's transaction when there is one. */
    void destroy(String customerId);

    /** Forgets any copy of the key held in memory (another process destroyed it). */
    void evict(String customerId);
}
