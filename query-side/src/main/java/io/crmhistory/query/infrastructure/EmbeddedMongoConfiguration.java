package io.crmhistory.query.infrastructure;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.crmhistory.platform.config.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
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

/**
 * The embedded default for read models: with no {@code spring.data.mongodb.uri} (nor host) configured,
 * an in-process MongoDB-wire-compatible server ({@code mongo-java-server}) persisted with its H2 backend
 * at {@code <crm.data-dir>/readmodel.mv}, on a free loopback port. The real MongoDB driver and Spring Data
 * talk to it exactly as they would to MongoDB, so the same code runs against a real MongoDB when a URI is
 * configured. Its limitations are listed in {@code docs/read-side.md}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedMongoConfiguration.NoMongoConfigured.class)
class EmbeddedMongoConfiguration {

    static final String DATABASE = "crm";
    static final String FILE_NAME = "readmodel.mv";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoConfiguration.class);

    /**
     * Closed by {@link #readModelFileGuard}, which records a clean close. The H2 backend writes a
     * document and its index entries as separate steps, so a process killed in between leaves a file
     * whose index and data disagree (an upsert then fails with a duplicate key, stalling a projection).
     * Read models are derived data: a file that was not closed cleanly is discarded at the next start,
     * together with the tokens beside it, and every projection is rebuilt from the event store.
     */
    @Bean(destroyMethod = "")
    MongoServer embeddedMongoServer(DataDirectory dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(FILE_NAME);
        Path closedCleanly = closedCleanlyMarker(file);
        if (Files.exists(file) && !Files.exists(closedCleanly)) {
            log.warn("The read models in {} were not closed cleanly (the query side was killed or crashed); the "
                    + "embedded store cannot vouch for them after that, so they are discarded and rebuilt from the "
                    + "event store", file);
            Files.delete(file);
        }
        Files.deleteIfExists(closedCleanly);
        MongoServer server = new MongoServer(new H2Backend(file.toString()));
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        log.info("Read models in the embedded MongoDB-compatible server on {} (data in {}); set "
                + "spring.data.mongodb.uri to use a MongoDB instead", address, file);
        return server;
    }

    /** Closes the embedded server last and then marks its file as closed cleanly. */
    @Bean
    DisposableBean readModelFileGuard(MongoServer server, DataDirectory dataDirectory) {
        Path closedCleanly = closedCleanlyMarker(dataDirectory.resolve(FILE_NAME));
        return () -> {
            server.shutdown();
            Files.createFile(closedCleanly);
        };
    }

    private static Path closedCleanlyMarker(Path file) {
        return file.resolveSibling(file.getFileName() + ".closed-cleanly");
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
