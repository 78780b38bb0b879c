package io.crmhistory.platform.privacy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmhistory.platform.config.DataDirectory;
import org.awaitility.Awaitility;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.crypto.SecretKey;
import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key store on H2: keys stored wrapped, found again, destroyed with the caller's transaction. */
class JdbcCustomerKeyStoreTest {

    @TempDir
    Path dataDir;

    private JdbcTemplate jdbc;
    private DataSourceTransactionManager transactions;

    @BeforeEach
    void setUp() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(dataSource);
        transactions = new DataSourceTransactionManager(dataSource);
        new PrivacyAutoConfiguration().customerKeyStore(jdbc, transactions, new DataDirectory(dataDir),
                Clock.systemUTC(), "", 10, Duration.ofMinutes(5));
    }

    private JdbcCustomerKeyStore store(String masterKey) {
        return new JdbcCustomerKeyStore(jdbc, transactions, MasterKey.load(masterKey, new DataDirectory(dataDir)),
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 10, Duration.ofMinutes(5));
    }

    /** A store whose reads go through {@code reads} (a test's pausing or counting template). */
    private JdbcCustomerKeyStore readingThrough(JdbcTemplate reads) {
        return readingThrough(reads, 10);
    }

    private JdbcCustomerKeyStore readingThrough(JdbcTemplate reads, long cacheSize) {
        return new JdbcCustomerKeyStore(reads, transactions, MasterKey.load("", new DataDirectory(dataDir)),
                Clock.systemUTC(), cacheSize, Duration.ofMinutes(5));
    }

    /** A template counting the key reads it runs, one or many keys each. */
    private static final class CountingReads extends JdbcTemplate {
        int reads;

        CountingReads(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        public <T> List<T> queryForList(String sql, Class<T> elementType, Object... args) {
            reads++;
            return super.queryForList(sql, elementType, args);
        }

        @Override
        public void query(String sql, RowCallbackHandler handler, Object... args) {
            reads++;
            super.query(sql, handler, args);
        }
    }

    @Test
    void aKeyIsStoredWrappedAndFoundAgainByAnotherInstance() {
        SecretKey key = store("").findOrCreate("c-1");

        String wrapped = jdbc.queryForObject("SELECT wrapped_key FROM customer_keys WHERE customer_id = 'c-1'", String.class);
        assertThat(java.util.HexFormat.of().formatHex(Base64.getDecoder().decode(wrapped)))
                .doesNotContain(java.util.HexFormat.of().formatHex(key.getEncoded()));
        assertThat(store("").find("c-1")).hasValueSatisfying(found -> assertThat(found.getEncoded()).isEqualTo(key.getEncoded()));
        assertThat(store("").findOrCreate("c-1").getEncoded()).isEqualTo(key.getEncoded());
    }

    @Test
    void theGeneratedMasterKeyIsOwnerOnlyAndSharedByBothSides() throws Exception {
        store("").findOrCreate("c-1");
        Path file = dataDir.resolve(MasterKey.FILE);

        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(MasterKey.load("", new DataDirectory(dataDir)).getEncoded())
                .isEqualTo(Base64.getDecoder().decode(Files.readString(file).trim()));
    }

    @Test
    void aConfiguredMasterKeyMustBe32Bytes() {
        assertThatThrownBy(() -> store(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
    }

    @Test
    void anotherMasterKeyCannotUnwrapTheKeys() {
        store(Base64.getEncoder().encodeToString(new byte[32])).findOrCreate("c-1");
        byte[] other = new byte[32];
        other[0] = 1;

        assertThatThrownBy(() -> store(Base64.getEncoder().encodeToString(other)).find("c-1"))
                .hasMessageContaining("another master key");
        // The thread's unwrapping cipher failed on that key; the right master key still unwraps on the same thread,
        // one key after another.
        JdbcCustomerKeyStore right = store(Base64.getEncoder().encodeToString(new byte[32]));
        SecretKey second = right.findOrCreate("c-2");
        assertThat(store(Base64.getEncoder().encodeToString(new byte[32])).find("c-1")).isPresent();
        assertThat(store(Base64.getEncoder().encodeToString(new byte[32])).find("c-2"))
                .hasValueSatisfying(found -> assertThat(found.getEncoded()).isEqualTo(second.getEncoded()));
    }

    @Test
    void destructionCommitsOrRollsBackWithTheCallersTransaction() {
        JdbcCustomerKeyStore store = store("");
        store.findOrCreate("c-1");

        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.executeWithoutResult(status -> {
            store.destroy("c-1");
            status.setRollbackOnly();
        });
        assertThat(store.find("c-1")).isPresent();

        transaction.executeWithoutResult(status -> store.destroy("c-1"));
        assertThat(store.find("c-1")).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_keys", Integer.class)).isZero();
    }

    /**
     * The query side evicts a key when it sees the erasure event, which is after the key's row is gone. A reader
     * that read the row just before and stores it just after that eviction would keep the key, and reveal the
     * erased fields, until the key's time in the cache ran out.
     */
    @Test
    void anEvictionDuringALoadIsNotUndoneByTheLoad() throws Exception {
        store("").findOrCreate("c-1");
        CountDownLatch rowRead = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        JdbcTemplate pausingAfterTheRead = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public <T> List<T> queryForList(String sql, Class<T> elementType, Object... args) {
                List<T> rows = super.queryForList(sql, elementType, args);
                if (sql.contains("wrapped_key") && rowRead.getCount() > 0) {
                    rowRead.countDown();
                    await(mayFinish);
                }
                return rows;
            }
        };
        JdbcCustomerKeyStore reader = readingThrough(pausingAfterTheRead);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<SecretKey>> load = threads.submit(() -> reader.find("c-1"));
            await(rowRead);
            jdbc.update("DELETE FROM customer_keys WHERE customer_id = 'c-1'"); // the erasure commits
            Thread[] evicting = new Thread[1];
            Future<?> eviction = threads.submit(() -> {
                evicting[0] = Thread.currentThread();
                reader.evict("c-1"); // the erasure event arrives
            });
            // the eviction has either returned or waits for the load
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> eviction.isDone()
                    || evicting[0] != null && evicting[0].getState() != Thread.State.RUNNABLE);
            mayFinish.countDown();
            load.get(5, TimeUnit.SECONDS);
            eviction.get(5, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(reader.find("c-1")).isEmpty();
    }

    /** A replay or an audit read of an erased customer asks for the key once per protected value. */
    @Test
    void theAbsenceOfAKeyIsRememberedUntilOneIsCreated() {
        int[] lookups = new int[1];
        JdbcTemplate counting = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public <T> List<T> queryForList(String sql, Class<T> elementType, Object... args) {
                if (sql.contains("wrapped_key")) {
                    lookups[0]++;
                }
                return super.queryForList(sql, elementType, args);
            }
        };
        JdbcCustomerKeyStore store = readingThrough(counting);

        for (int i = 0; i < 3; i++) {
            assertThat(store.find("c-1")).isEmpty();
        }
        assertThat(lookups[0]).isEqualTo(1);

        SecretKey created = store.findOrCreate("c-1");
        assertThat(store.find("c-1")).hasValueSatisfying(k -> assertThat(k.getEncoded()).isEqualTo(created.getEncoded()));
        inTransaction(() -> store.createMissing(List.of("c-2")));
        assertThat(store.find("c-2")).isPresent();
    }

    @Test
    void aPrefetchReadsTheKeysOfManyCustomersInOneQueryAndFindAnswersFromIt() {
        JdbcCustomerKeyStore writer = store("");
        List<SecretKey> created = List.of(writer.findOrCreate("c-1"), writer.findOrCreate("c-2"), writer.findOrCreate("c-3"));
        int[] lookups = new int[1];
        JdbcTemplate counting = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public <T> List<T> queryForList(String sql, Class<T> elementType, Object... args) {
                lookups[0]++;
                return super.queryForList(sql, elementType, args);
            }

            @Override
            public void query(String sql, RowCallbackHandler handler, Object... args) {
                lookups[0]++;
                super.query(sql, handler, args);
            }
        };
        JdbcCustomerKeyStore reader = readingThrough(counting);

        reader.prefetch(List.of("c-1", "c-2", "c-3", "c-4", "c-1"));
        assertThat(lookups[0]).isEqualTo(1);
        for (int i = 0; i < created.size(); i++) {
            SecretKey key = created.get(i);
            assertThat(reader.find("c-" + (i + 1))).hasValueSatisfying(found ->
                    assertThat(found.getEncoded()).isEqualTo(key.getEncoded()));
        }
        assertThat(lookups[0]).isEqualTo(1);

        reader.prefetch(List.of("c-1", "c-2", "c-3"));
        assertThat(lookups[0]).as("keys held are not read again").isEqualTo(1);
        assertThat(reader.find("c-4")).isEmpty();
        assertThat(lookups[0]).as("a customer without a key is left to find").isEqualTo(2);
    }

    /**
     * A batch about more customers than the cache holds (a rebuild, an import): the keys its prefetch read are found
     * without another query until the batch lets them go, though the cache admitted few of them, and then they go.
     */
    @Test
    void prefetchedKeysAreHeldUntilReleasedWhateverTheCacheKeeps() {
        List<String> customers = IntStream.range(0, 600).mapToObj(i -> "c-" + i).toList();
        inTransaction(() -> store("").createMissing(customers));
        CountingReads counting = new CountingReads(jdbc.getDataSource());
        JdbcCustomerKeyStore reader = readingThrough(counting, 0); // a cache that keeps nothing

        CustomerKeyStore.HeldKeys held = reader.prefetch(customers);
        assertThat(counting.reads).as("two chunks of at most 500").isEqualTo(2);
        jdbc.update("DELETE FROM customer_keys"); // from here any key read again is missing
        assertThat(customers).allSatisfy(customer -> assertThat(reader.find(customer)).isPresent());
        assertThat(counting.reads).as("every key found held, none read again").isEqualTo(2);

        held.release();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> reader.find("c-0").isEmpty());
    }

    /** Two batches about one customer: its key stays held until both are done; an erasure's eviction ends it at once. */
    @Test
    void aKeyHeldByTwoBatchesStaysUntilBothReleaseItAndAnEvictionDropsIt() {
        inTransaction(() -> store("").createMissing(List.of("c-1", "c-2")));
        JdbcCustomerKeyStore reader = readingThrough(jdbc, 0); // a cache that keeps nothing
        CustomerKeyStore.HeldKeys first = reader.prefetch(List.of("c-1", "c-2"));
        CustomerKeyStore.HeldKeys second = reader.prefetch(List.of("c-1"));
        jdbc.update("DELETE FROM customer_keys WHERE customer_id = 'c-1'");

        first.release();
        assertThat(reader.find("c-1")).as("still held by the second batch").isPresent();
        second.release();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> reader.find("c-1").isEmpty());

        CustomerKeyStore.HeldKeys erasedMeanwhile = reader.prefetch(List.of("c-2"));
        jdbc.update("DELETE FROM customer_keys WHERE customer_id = 'c-2'"); // the erasure commits
        reader.evict("c-2"); // and its event arrives while a batch holds the key
        assertThat(reader.find("c-2")).isEmpty();
        erasedMeanwhile.release();
        assertThat(reader.find("c-2")).isEmpty();
    }

    /**
     * On H2 a prefetch selects its columns as bytes (text crosses H2's link a character at a time), and ids in any
     * script come back as they were stored.
     */
    @Test
    void aPrefetchOnH2ReadsTheColumnsAsBytes() {
        JdbcCustomerKeyStore writer = store("");
        String customer = "kundé-ß-中文-😀";
        SecretKey key = writer.findOrCreate(customer);
        List<String> queries = new ArrayList<>();
        JdbcTemplate recording = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public <T> List<T> queryForList(String sql, Class<T> elementType, Object... args) {
                queries.add(sql);
                return super.queryForList(sql, elementType, args);
            }

            @Override
            public void query(String sql, RowCallbackHandler handler, Object... args) {
                queries.add(sql);
                super.query(sql, handler, args);
            }
        };
        JdbcCustomerKeyStore reader = readingThrough(recording);

        reader.prefetch(List.of(customer));
        assertThat(queries).singleElement().asString()
                .contains("CAST(customer_id AS VARBINARY)", "CAST(wrapped_key AS VARBINARY)");
        assertThat(reader.find(customer)).hasValueSatisfying(found ->
                assertThat(found.getEncoded()).isEqualTo(key.getEncoded()));
        assertThat(queries).as("found by the prefetch, not looked up again").hasSize(1);
    }

    /** As {@link #anEvictionDuringALoadIsNotUndoneByTheLoad}, for a prefetch: it read the row before the erasure. */
    @Test
    void anEvictionDuringAPrefetchIsNotUndoneByThePrefetch() throws Exception {
        store("").findOrCreate("c-1");
        CountDownLatch rowRead = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        JdbcTemplate pausingAfterTheRead = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public void query(String sql, RowCallbackHandler handler, Object... args) {
                super.query(sql, (RowCallbackHandler) row -> {
                    rowRead.countDown();
                    await(mayFinish);
                    handler.processRow(row);
                }, args);
            }
        };
        JdbcCustomerKeyStore reader = readingThrough(pausingAfterTheRead);
        ExecutorService threads = Executors.newSingleThreadExecutor();
        try {
            Future<?> prefetch = threads.submit(() -> reader.prefetch(List.of("c-1")));
            await(rowRead);
            jdbc.update("DELETE FROM customer_keys WHERE customer_id = 'c-1'"); // the erasure commits
            reader.evict("c-1"); // the erasure event arrives
            mayFinish.countDown();
            prefetch.get(5, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(reader.find("c-1")).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void missingKeysAreCreatedTogetherAndExistingOnesKept() {
        JdbcCustomerKeyStore store = store("");
        SecretKey existing = store.findOrCreate("c-1");
        store("").findOrCreate("c-2"); // stored, but not in this instance's memory

        assertThat(inTransaction(() -> store.createMissing(List.of("c-1", "c-2", "c-3", "c-4", "c-3"))))
                .containsExactlyInAnyOrder("c-3", "c-4");

        assertThat(jdbc.queryForList("SELECT customer_id FROM customer_keys ORDER BY customer_id", String.class))
                .containsExactly("c-1", "c-2", "c-3", "c-4");
        assertThat(store.findOrCreate("c-1").getEncoded()).isEqualTo(existing.getEncoded());
        SecretKey created = store.find("c-3").orElseThrow();
        assertThat(store("").find("c-3")).hasValueSatisfying(k -> assertThat(k.getEncoded()).isEqualTo(created.getEncoded()));
    }

    /**
     * The batch's keys are stored in its transaction and used by its commands before the commit: when it rolls back,
     * a key still held in memory would encrypt the next command's personal data under a key nobody can read again.
     */
    @Test
    void keysCreatedTogetherAreForgottenWhenTheirTransactionRollsBack() {
        JdbcCustomerKeyStore store = store("");
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.executeWithoutResult(status -> {
            store.createMissing(List.of("c-1", "c-2"));
            assertThat(store.find("c-1")).as("held for the transaction's own commands").isPresent();
            status.setRollbackOnly();
        });

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_keys", Integer.class)).isZero();
        assertThat(store.find("c-1")).isEmpty();
        assertThat(store.find("c-2")).isEmpty();
        SecretKey stored = store.findOrCreate("c-1");
        assertThat(store("").find("c-1")).hasValueSatisfying(k -> assertThat(k.getEncoded()).isEqualTo(stored.getEncoded()));
    }

    @Test
    void keysAreCreatedTogetherOnlyInsideATransaction() {
        assertThatThrownBy(() -> store("").createMissing(List.of("c-1"))).isInstanceOf(IllegalStateException.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_keys", Integer.class)).isZero();
    }

    @Test
    void aKeyCreatedMeanwhileByAnotherInstanceFailsTheBatchAndIsTheOneUsed() {
        JdbcCustomerKeyStore store = store("");
        // Another instance creates c-2's key between the batch's look-up and its insert, so the batch's insert fails.
        anotherInstanceCreatesC2AtTheNextInsert();

        assertThatThrownBy(() -> inTransaction(() -> store.createMissing(List.of("c-1", "c-2"))))
                .isInstanceOf(DuplicateKeyException.class);

        SecretKey othersKey = CreateC2Meanwhile.other.find("c-2").orElseThrow();
        assertThat(store.find("c-2")).hasValueSatisfying(k -> assertThat(k.getEncoded()).isEqualTo(othersKey.getEncoded()));
        assertThat(store.find("c-1")).as("the batch's keys are not held").isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_keys", Integer.class)).isEqualTo(1);
    }

    private <T> T inTransaction(Supplier<T> work) {
        return new TransactionTemplate(transactions).execute(status -> work.get());
    }

    private void anotherInstanceCreatesC2AtTheNextInsert() {
        CreateC2Meanwhile.arm(store(""));
        jdbc.execute("CREATE TRIGGER other_instance BEFORE INSERT ON customer_keys FOR EACH ROW CALL \""
                + CreateC2Meanwhile.class.getName() + "\"");
    }

    /**
     * At the first insert into the key table after {@link #arm}, creates c-2's key through another store, on another
     * thread (another instance: its own connection and transaction, committed before the insert goes on).
     */
    public static final class CreateC2Meanwhile implements org.h2.api.Trigger {

        static volatile JdbcCustomerKeyStore other;
        private static final java.util.concurrent.atomic.AtomicBoolean FIRED = new java.util.concurrent.atomic.AtomicBoolean();

        static void arm(JdbcCustomerKeyStore otherInstance) {
            other = otherInstance;
            FIRED.set(false);
        }

        @Override
        public void fire(java.sql.Connection connection, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
            if (FIRED.compareAndSet(false, true)) {
                ExecutorService otherInstance = Executors.newSingleThreadExecutor();
                try {
                    otherInstance.submit(() -> other.findOrCreate("c-2")).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new java.sql.SQLException("the other instance could not create c-2's key", e);
                } finally {
                    otherInstance.shutdownNow();
                }
            }
        }
    }

    /** The data encrypted with a key created in a transaction is stored with it or not at all: so is the key. */
    @Test
    void aKeyCreatedInATransactionIsStoredWithItOrForgotten() {
        JdbcCustomerKeyStore store = store("");
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.executeWithoutResult(status -> {
            store.findOrCreate("c-1");
            status.setRollbackOnly();
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_keys", Integer.class)).isZero();
        assertThat(store.find("c-1")).as("not held after the rollback").isEmpty();

        SecretKey created = transaction.execute(status -> store.findOrCreate("c-1"));
        assertThat(store("").find("c-1")).hasValueSatisfying(k -> assertThat(k.getEncoded()).isEqualTo(created.getEncoded()));
    }

    /** On PostgreSQL a failed insert would abort the command's transaction: the key's own savepoint keeps it usable. */
    @Test
    void aKeyCreatedMeanwhileByAnotherInstanceIsUsedAndTheCallersTransactionGoesOn() {
        JdbcCustomerKeyStore store = store("");
        anotherInstanceCreatesC2AtTheNextInsert();

        SecretKey used = new TransactionTemplate(transactions).execute(status -> {
            SecretKey key = store.findOrCreate("c-2");
            jdbc.update("INSERT INTO customer_keys (customer_id, wrapped_key, created_at) VALUES ('x', 'y', CURRENT_TIMESTAMP)");
            return key;
        });

        SecretKey othersKey = CreateC2Meanwhile.other.find("c-2").orElseThrow();
        assertThat(used.getEncoded()).isEqualTo(othersKey.getEncoded());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_keys", Integer.class)).isEqualTo(2);
    }

    /**
     * Every connection of the commands' pool held by a command that registers a customer, as under a burst of them:
     * the key is stored through the command's own connection, so no command waits for a second one.
     */
    @Test
    void commandsHoldingEveryPooledConnectionStillCreateKeys() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(1_000);
        try (HikariDataSource commands = new HikariDataSource(config)) {
            JdbcTemplate commandJdbc = new JdbcTemplate(commands);
            DataSourceTransactionManager commandTransactions = new DataSourceTransactionManager(commands);
            TransactionTemplate command = new TransactionTemplate(commandTransactions);
            JdbcCustomerKeyStore keys = (JdbcCustomerKeyStore) new PrivacyAutoConfiguration().customerKeyStore(commandJdbc,
                    commandTransactions, new DataDirectory(dataDir), Clock.systemUTC(), "", 10, Duration.ofMinutes(5));
            CyclicBarrier allHoldAConnection = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<SecretKey>> created = threads.invokeAll(List.of(1, 2).stream()
                        .<Callable<SecretKey>>map(n -> () -> command.execute(status -> {
                            commandJdbc.queryForObject("SELECT 1", Integer.class); // takes the connection
                            await(allHoldAConnection);
                            return keys.findOrCreate("c-" + n);
                        })).toList());
                for (Future<SecretKey> key : created) {
                    assertThat(key.get()).isNotNull();
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(commandJdbc.queryForObject("SELECT COUNT(*) FROM customer_keys", Integer.class)).isEqualTo(2);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
