package io.crmhistory.query.infrastructure;

import io.crmhistory.embeddedmongo.ReadModelBackend;
import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoServer;
import io.crmhistory.platform.config.DataDirectory;
import io.crmhistory.platform.privacy.DerivedKeys;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.autoconfigure.mongo.MongoConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The embedded default for read models: with no {@code spring.data.mongodb.uri} (nor host) configured,
 * an in-process MongoDB-wire-compatible server ({@code mongo-java-server}) persisted with its H2 backend
 * at {@code <crm.data-dir>/readmodel-4.mv} (an MVStore file, cache {@code crm.readmodel.embedded.cache-size-mb}), on a free loopback port. The real MongoDB driver and Spring Data
 * talk to it exactly as they would to MongoDB, so the same code runs against a real MongoDB when a URI is
 * configured. Its limitations are listed in {@code docs/read-side.md}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedMongoConfiguration.NoMongoConfigured.class)
class EmbeddedMongoConfiguration {

    static final String DATABASE = "crm";
    static final String FILE_NAME = "readmodel-4.mv";
    /**
     * The file is encrypted (AES-XTS in H2's encrypted-file format, {@link XtsEncryptedFiles}, with a key derived from
     * the master key): read models hold
     * personal data, and an erasure scrubs the documents but H2 may keep their earlier versions in unused parts
     * of the file for a while, so without it an erased email could still be found in the file's bytes.
     */
    static final String FILE_KEY_PURPOSE = "readmodel-file";
    /** H2's errors for a file it cannot read (corrupt, truncated, foreign), as opposed to one it may not open (locked). */
    private static final Set<Integer> UNREADABLE = Set.of(DataUtils.ERROR_FILE_CORRUPT, DataUtils.ERROR_READING_FAILED,
            DataUtils.ERROR_UNSUPPORTED_FORMAT, DataUtils.ERROR_CHUNK_NOT_FOUND);
    private static final List<String> EARLIER_FILE_NAMES = List.of("readmodel.mv", "readmodel-2.mv", "readmodel-3.mv");
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoConfiguration.class);

    /**
     * Shut down after everything that uses MongoDB (they depend on it), committing what they wrote; also when
     * the application fails to start, so its threads do not keep the process (and the file's lock) alive.
     * Every committed version of the file is consistent
     * ({@link ReadModelBackend}), so after a crash the read models and their tokens are as of the last commit
     * and the projections redo the rest from the event store. Only a file H2 cannot read at all is discarded,
     * and then every projection is rebuilt from the event store.
     */
    /** Closed by the server's shutdown, not by Spring. */
    @Bean(destroyMethod = "")
    ReadModelBackend readModelBackend(DataDirectory dataDirectory, DerivedKeys keys,
                                      @Value("${crm.readmodel.embedded.encrypted:true}") boolean encrypted,
                                      @Value("${crm.readmodel.embedded.cache-size-mb:" + ReadModelBackend.DEFAULT_CACHE_MB + "}") int cacheSizeMb,
                                      @Value("${crm.readmodel.embedded.commit-interval:" + ReadModelBackend.DEFAULT_COMMIT_SECONDS + "s}") Duration commitInterval,
                                      @Value("${crm.readmodel.embedded.max-unsaved-mb:" + ReadModelBackend.DEFAULT_MAX_UNSAVED_MB + "}") int maxUnsavedMb,
                                      @Value("${crm.readmodel.embedded.compact-below-percent:" + ReadModelBackend.DEFAULT_COMPACT_BELOW_PERCENT + "}") int compactBelowPercent,
                                      @Value("${crm.readmodel.embedded.compact-write-mb:" + ReadModelBackend.DEFAULT_COMPACT_WRITE_MB + "}") int compactWriteMb,
                                      @Value("${crm.readmodel.embedded.compress:" + ReadModelBackend.DEFAULT_COMPRESS + "}") boolean compress)
            throws IOException {
        discardEarlierFormats(dataDirectory);
        Path file = dataDirectory.resolve(FILE_NAME);
        Supplier<MVStore> opening = () -> ReadModelBackend.openStore(
                encrypted ? XtsEncryptedFiles.name(file, keys.derivePassword(FILE_KEY_PURPOSE)) : file.toString(),
                null, cacheSizeMb, compress);
        MVStore store = openStore(opening, file);
        log.info("Read models in {}, served by the embedded MongoDB-compatible server; set spring.data.mongodb.uri "
                + "to use a MongoDB instead", file);
        return new ReadModelBackend(store, commitInterval, maxUnsavedMb * 1024L * 1024L,
                new ReadModelBackend.SpaceReclaim(compactBelowPercent, compactWriteMb << 20));
    }

    /** How large the file is and how much of it is live data: what ops watch for disk space (see docs/read-side.md). */
    @Bean
    MeterBinder readModelFileMetrics(ReadModelBackend backend) {
        return registry -> {
            Gauge.builder("crm.readmodel.file.size", backend, ReadModelBackend::fileBytes).baseUnit("bytes")
                    .description("Size of the embedded read-model file").register(registry);
            Gauge.builder("crm.readmodel.file.live", backend, ReadModelBackend::liveShare)
                    .description("Share of the embedded read-model file's chunks that is live data, 0 to 1")
                    .register(registry);
            Gauge.builder("crm.readmodel.dropped.entries", backend, ReadModelBackend::droppedEntriesLeft)
                    .description("Entries of dropped read-model collections and indexes not yet removed from the "
                            + "embedded file (removed in the background)").register(registry);
        };
    }

    /**
     * {@code readModelFile} in {@code /actuator/health}. H2 closes a store after a failure it cannot undo (a commit
     * that ran out of heap, a full disk); the server still answers a {@code ping} then, but every read and write
     * fails, so the side reports DOWN and an orchestrator restarts it (it resumes from the last commit).
     */
    @Bean
    HealthIndicator readModelFileHealthIndicator(ReadModelBackend backend) {
        return () -> backend.isOpen()
                ? Health.up().withDetail("bytes", (long) backend.fileBytes()).withDetail("live", backend.liveShare()).build()
                : Health.down().withDetail("reason", "the embedded read-model store was closed after a failure (see the "
                        + "log); restart the query side, it resumes from the last commit").build();
    }

    @Bean(destroyMethod = "shutdown")
    MongoServer embeddedMongoServer(ReadModelBackend backend) {
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        log.info("Embedded MongoDB-compatible server on {}", address);
        return server;
    }

    private static MVStore openStore(Supplier<MVStore> opening, Path file) throws IOException {
        try {
            return opening.get();
        } catch (MVStoreException e) {
            if (!UNREADABLE.contains(e.getErrorCode())) {
                throw e; // e.g. locked by another query side on the same data directory: never discard its file
            }
            log.error("The read models in {} cannot be opened ({}); the file is discarded and every projection is "
                    + "rebuilt from the event store", file, e.getMessage());
            Files.delete(file);
            return opening.get();
        }
    }

    /**
     * Files of earlier versions stored documents and ordered index keys differently (before embedded-mongo stored
     * documents as BSON and {@code IndexKeyType} ordered keys by value), so they cannot be read by this one: they
     * are discarded and rebuilt from the event store, together with the marker files the earlier version kept
     * beside them.
     */
    private static void discardEarlierFormats(DataDirectory dataDirectory) throws IOException {
        for (String earlier : EARLIER_FILE_NAMES) {
            Path file = dataDirectory.resolve(earlier);
            if (Files.deleteIfExists(file)) {
                log.warn("Read models in {} were written by an earlier version; discarded, they are rebuilt from the "
                        + "event store", file);
            }
            Files.deleteIfExists(file.resolveSibling(earlier + ".closed-cleanly"));
        }
    }

    /** Takes the place of Boot's property-based connection details, so the driver connects to the embedded server. */
    @Bean
    MongoConnectionDetails embeddedMongoConnectionDetails(MongoServer server) {
        InetSocketAddress address = server.getLocalAddress();
        ConnectionString connectionString = new ConnectionString(
                "mongodb://" + address.getHostString() + ":" + address.getPort() + "/" + DATABASE);
        return () -> connectionString;
    }

    static class NoMongoConfigured extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean configured = context.getEnvironment().containsProperty("spring.data.mongodb.uri")
                    || context.getEnvironment().containsProperty("spring.data.mongodb.host");
            return configured
                    ? ConditionOutcome.noMatch("a MongoDB is configured (spring.data.mongodb.uri/host)")
                    : ConditionOutcome.match("no MongoDB configured: using the embedded server");
        }
    }
}
