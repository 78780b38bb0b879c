package io.crmhistory.platform.eventstore;

import io.crmhistory.platform.concurrent.DaemonThreads;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Keeps the embedded H2 event store's file near the size of its data. With {@code WRITE_DELAY=0} (every commit
 * written before it returns) H2 runs no background writer, and that writer is also what rewrites chunks most of
 * whose pages are obsolete. Without it, and with H2's 45 s retention, the file grew by 1.6 GB for every 116,800
 * events of the CDNOW master (63 MB of rows). Every {@code interval} this rewrites the live pages of sparse chunks
 * ({@link MVStore#compact}, at most {@code writeLimit} bytes a time), so whole chunks fall free, and syncs the file,
 * so that H2 may reuse their space after the short retention time the URL sets ({@code RETENTION_TIME=3000}, more
 * than the interval): with both, three times the master took 1.2 GB instead of 5.3 GB. Only the JVM that opened
 * the file can do it; the other side, connected through {@code AUTO_SERVER}, finds no local store and skips. The JVM
 * that has the file open also keeps H2's shutdown hook behind Spring's ({@link H2CloseAfterSpring}), checked at
 * start and on every round, since this JVM may open the file later (when the other side stops). Each round also
 * notes whether this JVM has the file open, for the file's gauges (size, live share, chunks).
 */
public class EmbeddedH2Housekeeping implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedH2Housekeeping.class);

    private final DataSource dataSource;
    private final int targetFillRate;
    private final int writeLimit;
    private final ScheduledExecutorService scheduler;
    /** The store this JVM opened, as last seen by a round, for the gauges; null while the other side has the file. */
    private volatile MVStore localStore;

    public EmbeddedH2Housekeeping(DataSource dataSource, Duration interval, int targetFillRate, int writeLimit) {
        this.dataSource = dataSource;
        this.targetFillRate = targetFillRate;
        this.writeLimit = writeLimit;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("eventstore-housekeeping"));
        // At once, for the shutdown hook (see the class); the compaction rounds also check it.
        scheduler.execute(() -> quietly("Checking the event store's connection at start failed",
                () -> onLocalStore(store -> { })));
        scheduler.scheduleWithFixedDelay(() -> quietly("Compacting the event store's file failed; tried again later",
                this::compact), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Sparse chunks of the embedded event store are rewritten every {} (below {} % live, up to {} MB a time)",
                interval, targetFillRate, writeLimit >> 20);
    }

    /** Rewrites sparse chunks once and flushes the file; true when there was a local store to do it in. */
    public boolean compact() throws SQLException {
        return onLocalStore(store -> {
            store.compact(targetFillRate, writeLimit);
            store.sync();
        });
    }

    /** Runs {@code work} on the store if this JVM opened the file, after keeping H2's hook behind Spring's. */
    private boolean onLocalStore(Consumer<MVStore> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Optional<MVStore> local = localStore(connection);
            localStore = local.orElse(null);
            local.ifPresent(store -> {
                H2CloseAfterSpring.moveIfRegistered();
                work.accept(store);
            });
            return local.isPresent();
        }
    }

    /** Bytes of the file, for the {@code crm.eventstore.file.size} gauge; NaN unless this JVM has the file open. */
    public double fileBytes() {
        return ofOpenStore(store -> store.getFileStore().size());
    }

    /** Share of the chunks' bytes that are live pages, 0 to 1, for the {@code crm.eventstore.file.live} gauge. */
    public double liveShare() {
        return ofOpenStore(store -> store.getFileStore().getChunksFillRate() / 100.0);
    }

    /**
     * Chunks in the file, for the {@code crm.eventstore.file.chunks} gauge (each commit writes one). Read from H2's
     * {@code INFORMATION_SCHEMA} figures: H2 counts its chunks nowhere public, and these cost a pass over the chunks
     * per scrape.
     */
    public double chunkCount() {
        return ofOpenStore(store -> {
            double[] chunks = {Double.NaN};
            store.getFileStore().populateInfo((name, value) -> {
                if ("info.CHUNK_COUNT".equals(name)) {
                    chunks[0] = Double.parseDouble(value);
                }
            });
            return chunks[0];
        });
    }

    private double ofOpenStore(ToDoubleFunction<MVStore> figure) {
        MVStore store = localStore;
        return store == null || store.isClosed() ? Double.NaN : figure.applyAsDouble(store);
    }

    private interface StoreCall {
        boolean run() throws SQLException;
    }

    private static void quietly(String failure, StoreCall call) {
        try {
            call.run();
        } catch (SQLException | RuntimeException e) {
            log.warn("{}: {}", failure, e.toString());
        }
    }

    private static Optional<MVStore> localStore(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)) {
            return Optional.empty();
        }
        if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local) {
            return Optional.ofNullable(local.getDatabase().getStore()).map(store -> store.getMvStore());
        }
        return Optional.empty();
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
