package io.crmhistory.bench.baseline;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoServer;
import io.crmhistory.embeddedmongo.ReadModelBackend;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.mongo.MongoConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The store the product's read side uses by default, with the product's defaults: mongo-java-server on H2 with the
 * read models' backend ({@link ReadModelBackend}: its indexes, its commits every 5 s, its space reclaim), in process.
 * The library's own backend answers only queries whose fields are exactly an index's, so each of this service's
 * optimistic-locking saves ({@code _id} and {@code version}) read the whole customer collection: until session 18
 * every baseline figure was slowed by that, which MongoDB (and the product's store) answers from the id index.
 * The file is not encrypted (the product's is), and named for the backend's format, which the library's cannot
 * read: a file of the earlier format beside it is deleted (the baseline's data is only what a run sent it).
 */
@Configuration(proxyBeanMethods = false)
class BaselineMongoConfiguration {

    private static final String FILE_NAME = "baseline-2.mv";
    private static final String EARLIER_FILE_NAME = "baseline.mv";

    /** Closed by the server's shutdown. */
    @Bean(destroyMethod = "")
    ReadModelBackend baselineBackend(@Value("${crm.data-dir:./data}") Path dataDir,
                                     @Value("${crm.readmodel.embedded.compress:" + ReadModelBackend.DEFAULT_COMPRESS + "}") boolean compress) {
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(dataDir.resolve(EARLIER_FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ReadModelBackend.withDefaults(ReadModelBackend.openStore(dataDir.resolve(FILE_NAME).toString(), null,
                ReadModelBackend.DEFAULT_CACHE_MB, compress));
    }

    @Bean(destroyMethod = "shutdown")
    MongoServer baselineMongoServer(ReadModelBackend backend) {
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        return server;
    }

    @Bean
    MongoConnectionDetails baselineMongoConnectionDetails(MongoServer server) {
        InetSocketAddress address = server.getLocalAddress();
        ConnectionString connection = new ConnectionString(
                "mongodb://" + address.getHostString() + ":" + address.getPort() + "/baseline");
        return () -> connection;
    }
}
