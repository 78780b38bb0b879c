package io.crmhistory.platform.privacy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Data keys in the {@code customer_keys} table of the event store's database, each wrapped with the
 * master key (AES-256-GCM, random IV, the customer id as associated data so a wrapped key cannot be
 * moved to another customer). Unwrapped keys are cached in memory, bounded in number and time (a
 * key destroyed by the other application disappears from this cache after at most
 * {@code keyTtl} even if nobody evicts it). So is the absence of a key: a destroyed key never comes back, and
 * without it every value of an erased customer (each event of a replay or an audit read) cost a query.
 * <p>
 * A key is created in the caller's transaction (the command's, or a batch's: {@link #createMissing}), so it is
 * stored with the events encrypted under it or not at all, in one durable commit. Until that transaction ends the
 * key is held in memory for the commands that encrypt with it, and it is forgotten when the transaction does not
 * commit: a key held but never stored would encrypt the next command's personal data under a key nobody can read
 * again. Without a transaction a key is stored at once. Destruction runs in the caller's transaction too (the
 * erasure command's, with its event).
 */
public class JdbcCustomerKeyStore implements CustomerKeyStore {

    static final String TABLE = "customer_keys";
    private static final String MASTER_TRANSFORMATION = "AES/GCM/NoPadding";
    /**
     * One unwrapping cipher per thread, initialised again for each key (GCM decrypts under one key with any IV): a
     * rebuild unwraps every customer's key, and a new cipher for each (the provider's lookup, the master key's schedule
     * expanded again) was 9 % of the allocations of a directory rebuild's projection thread (session 55). Wrapping
     * (a new key) keeps a fresh cipher each time, so no encryption ever repeats a cipher's last key and IV.
     */
    private static final ThreadLocal<Cipher> UNWRAPPING = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(MASTER_TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(MASTER_TRANSFORMATION + " is part of every JDK", e);
        }
    });
    private static final int IV_BYTES = 12;
    /** Customers per prefetch query: a batch of events names at most a few hundred. */
    private static final int PREFETCH_CHUNK = 500;
    private static final String INSERT =
            "INSERT INTO " + TABLE + " (customer_id, wrapped_key, created_at) VALUES (?, ?, ?)";

    private final JdbcTemplate jdbc;
    /** A savepoint in the caller's transaction, or a transaction of its own when there is none. */
    private final TransactionTemplate savepoint;
    private final SecretKey masterKey;
    private final Clock clock;
    /** Empty for a customer without a key (destroyed, or not created yet: creating one replaces the entry). */
    private final Cache<String, Optional<SecretKey>> cache;
    private final SecureRandom random = new SecureRandom();
    /**
     * Counts the keys forgotten (evicted or destroyed), each counted before it leaves the cache: a prefetch that
     * read keys before a forget must not put them back after it, and it can tell by this count.
     */
    private final AtomicLong forgotten = new AtomicLong();
    /**
     * The keys prefetched for batches that are still running, with how many batches hold each. The cache alone did
     * not keep them: Caffeine admits a new entry to a full cache only when it has been used more often than the entry
     * it would replace, so most of the keys a batch of customers new to the cache brought in were dropped again at
     * once, and each was then read on its own as its customer's first event was revealed (44,128 queries on the
     * projection thread of a history rebuild at 50,000 customers, docs/benchmarks-log.md, session 65). Forgetting a
     * key removes it here too.
     */
    private final Map<String, HeldKey> held = new ConcurrentHashMap<>();
    /**
     * The columns a prefetch selects. On H2 as bytes: over its {@code AUTO_SERVER} link (the query side reading the
     * command side's file) text crosses a character at a time, half of a prefetch's CPU in a rebuild at a million
     * customers (docs/benchmarks-log.md, session 51); bytes cross in one piece, and H2's {@code getString} reads them
     * back as UTF-8 text, as the event store's reads do ({@code TextAsBytesReads}).
     */
    private final String prefetchColumns;

    /**
     * @param transactions the application's transaction manager, the one whose transactions the callers run in
     *                     (over {@code jdbc}'s data source): the savepoints are taken in those transactions
     */
    public JdbcCustomerKeyStore(JdbcTemplate jdbc, PlatformTransactionManager transactions, SecretKey masterKey,
                                Clock clock, long cacheSize, Duration keyTtl) {
        this.jdbc = jdbc;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.masterKey = masterKey;
        this.clock = clock;
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(keyTtl).build();
        this.prefetchColumns = isH2(jdbc) ? "CAST(customer_id AS VARBINARY) AS customer_id, "
                + "CAST(wrapped_key AS VARBINARY) AS wrapped_key" : "customer_id, wrapped_key";
    }

    private static boolean isH2(JdbcTemplate jdbc) {
        return "H2".equals(jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName()));
    }

    private record HeldKey(SecretKey key, int holders) {

        HeldKey withHolders(int change) {
            return new HeldKey(key, holders + change);
        }
    }

    @Override
    public Optional<SecretKey> find(String customerId) {
        HeldKey heldKey = held.get(customerId);
        if (heldKey != null) {
            return Optional.of(heldKey.key());
        }
        // Loaded inside the cache's atomic compute: an eviction arriving while the row is being read waits for the
        // load and then removes what it loaded. Read first and put afterwards, a key read just before its
        // destruction committed was put back after the erasure's eviction and revealed the erased data until keyTtl.
        return cache.get(customerId, this::load);
    }

    @Override
    public SecretKey findOrCreate(String customerId) {
        return find(customerId).orElseGet(() -> create(customerId));
    }

    /**
     * In the caller's transaction, which also records the events encrypted with these keys: one durable commit for
     * both instead of one more for the keys, and no key is stored without the registration it was made for. The
     * keys are held in memory at once (the caller's commands encrypt with them before the commit) and forgotten
     * again when the transaction does not commit, so no later command encrypts under a key that was never stored.
     * A key another instance stored meanwhile fails the insert ({@link DuplicateKeyException}) and nothing is held.
     *
     * @throws IllegalStateException outside a transaction with synchronization (a key would be cached whose fate
     *                               nobody reports)
     */
    @Override
    public Set<String> createMissing(Collection<String> customerIds) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("keys are created together only inside the transaction that uses them");
        }
        List<String> uncached = customerIds.stream().distinct().filter(id -> !hasCachedKey(id)).toList();
        if (uncached.isEmpty()) {
            return Set.of();
        }
        Set<String> stored = new HashSet<>(jdbc.queryForList("SELECT customer_id FROM " + TABLE
                + " WHERE customer_id IN (" + placeholders(uncached.size()) + ")", String.class, uncached.toArray()));
        Timestamp now = Timestamp.from(clock.instant());
        Map<String, SecretKey> created = new LinkedHashMap<>();
        List<Object[]> rows = new ArrayList<>();
        for (String customerId : uncached) {
            if (!stored.contains(customerId)) {
                SecretKey key = newDataKey();
                created.put(customerId, key);
                rows.add(row(customerId, key, now));
            }
        }
        if (created.isEmpty()) {
            return Set.of();
        }
        // In a savepoint, like create(): a key another instance stored meanwhile undoes only this insert.
        savepoint.executeWithoutResult(status -> jdbc.batchUpdate(INSERT, rows));
        forgetUnlessCommitted(created.keySet());
        created.forEach((customerId, key) -> cache.put(customerId, Optional.of(key)));
        return Set.copyOf(created.keySet());
    }

    /** Evicts these customers' keys when the caller's transaction ends without a commit. */
    private void forgetUnlessCommitted(Collection<String> customerIds) {
        List<String> held = List.copyOf(customerIds);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status != STATUS_COMMITTED) {
                    held.forEach(JdbcCustomerKeyStore.this::evict);
                }
            }
        });
    }

    /**
     * Holds the keys of these customers that are held or cached already, and reads the others, one query per
     * {@value #PREFETCH_CHUNK} customers, caching and holding what it reads. A key is cached and held only while no
     * key has been forgotten since the prefetch began, inside the atomic computes of the cache and of the held keys: a
     * forget counted after that check removes the key after the compute (its removal waits for it), one counted before
     * it keeps the key out. So a prefetch never undoes an erasure's eviction, as {@link #find} never does. Customers
     * known to have no key are left to the cache, those without a row to {@link #find}.
     */
    @Override
    public HeldKeys prefetch(Collection<String> customerIds) {
        long forgottenBefore = forgotten.get();
        List<String> holding = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String customerId : new LinkedHashSet<>(customerIds)) {
            Optional<SecretKey> cached = cache.getIfPresent(customerId);
            if (cached == null && !held.containsKey(customerId)) {
                unknown.add(customerId);
            } else if (hold(customerId, cached == null ? null : cached.orElse(null), forgottenBefore)) {
                holding.add(customerId);
            }
        }
        for (int from = 0; from < unknown.size(); from += PREFETCH_CHUNK) {
            List<String> chunk = unknown.subList(from, Math.min(unknown.size(), from + PREFETCH_CHUNK));
            jdbc.query("SELECT " + prefetchColumns + " FROM " + TABLE + " WHERE customer_id IN ("
                    + placeholders(chunk.size()) + ")", row -> {
                String customerId = row.getString(1);
                SecretKey key = unwrap(customerId, row.getString(2));
                cache.asMap().compute(customerId, (id, cachedKey) -> cachedKey != null
                        || forgotten.get() != forgottenBefore ? cachedKey : Optional.of(key));
                if (hold(customerId, key, forgottenBefore)) {
                    holding.add(customerId);
                }
            }, chunk.toArray());
        }
        return () -> holding.forEach(customerId -> held.computeIfPresent(customerId,
                (id, heldKey) -> heldKey.holders() == 1 ? null : heldKey.withHolders(-1)));
    }

    /**
     * One more holder of a held key, or {@code key} held once unless a key has been forgotten since
     * {@code forgottenBefore} (or there is none); whether the customer's key is now held.
     */
    private boolean hold(String customerId, SecretKey key, long forgottenBefore) {
        return held.compute(customerId, (id, heldKey) -> heldKey != null ? heldKey.withHolders(1)
                : key == null || forgotten.get() != forgottenBefore ? null : new HeldKey(key, 1)) != null;
    }

    /** {@code ?, ?, …}: one parameter per value of an {@code IN} list. */
    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    private boolean hasCachedKey(String customerId) {
        Optional<SecretKey> cached = cache.getIfPresent(customerId);
        return cached != null && cached.isPresent();
    }

    @Override
    public void destroy(String customerId) {
        jdbc.update("DELETE FROM " + TABLE + " WHERE customer_id = ?", customerId);
        evict(customerId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // a concurrent reader may have cached the key again before the delete committed
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    evict(customerId);
                }
            });
        }
    }

    @Override
    public void evict(String customerId) {
        forgotten.incrementAndGet();
        cache.invalidate(customerId);
        held.remove(customerId);
    }

    /**
     * In a savepoint of the caller's transaction: a key another instance stored meanwhile undoes only the insert (on
     * PostgreSQL a failed statement would otherwise abort the whole transaction), and that key is used instead.
     */
    private SecretKey create(String customerId) {
        SecretKey created = newDataKey();
        SecretKey key;
        try {
            savepoint.executeWithoutResult(status -> jdbc.update(INSERT,
                    row(customerId, created, Timestamp.from(clock.instant()))));
            key = created;
        } catch (DuplicateKeyException createdConcurrently) {
            key = load(customerId).orElseThrow(() -> new IllegalStateException(
                    "the key of customer " + customerId + " was created and destroyed concurrently"));
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            forgetUnlessCommitted(List.of(customerId));
        }
        cache.put(customerId, Optional.of(key)); // replaces the absence find() may have cached
        return key;
    }

    /** The values of {@link #INSERT} for one new key, wrapped. */
    private Object[] row(String customerId, SecretKey key, Timestamp createdAt) {
        return new Object[]{customerId, wrap(customerId, key), createdAt};
    }

    private Optional<SecretKey> load(String customerId) {
        List<String> wrapped = jdbc.queryForList("SELECT wrapped_key FROM " + TABLE + " WHERE customer_id = ?",
                String.class, customerId);
        return wrapped.stream().findFirst().map(w -> unwrap(customerId, w));
    }

    private String wrap(String customerId, SecretKey key) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            byte[] sealed = masterCipher(Cipher.getInstance(MASTER_TRANSFORMATION), Cipher.ENCRYPT_MODE, iv, customerId)
                    .doFinal(key.getEncoded());
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap a data key", e);
        }
    }

    private SecretKey unwrap(String customerId, String wrapped) {
        byte[] sealed = Base64.getDecoder().decode(wrapped);
        try {
            byte[] key = masterCipher(UNWRAPPING.get(), Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, IV_BYTES), customerId)
                    .doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
            return new SecretKeySpec(key, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the key of customer " + customerId
                    + " does not unwrap: another master key (crm.security.master-key / master.key) than the one it was made with?");
        }
    }

    private Cipher masterCipher(Cipher cipher, int mode, byte[] iv, String customerId) throws GeneralSecurityException {
        cipher.init(mode, masterKey, new GCMParameterSpec(128, iv));
        cipher.updateAAD(("customer-key\u0000" + customerId).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static SecretKey newDataKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 is part of every JDK", e);
        }
    }
}
