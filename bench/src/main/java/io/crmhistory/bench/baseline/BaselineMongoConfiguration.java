package io.crmhistory.bench.baseline;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.h2.mvstore.MVStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.mongo.MongoConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The store the product's read side uses by default: mongo-java-server persisted by its H2 backend, in process. */
@Configuration(proxyBeanMethods = false)
class BaselineMongoConfiguration {

    @Bean(destroyMethod = "shutdown")
    MongoServer baselineMongoServer(@Value("${crm.data-dir:./data}") Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // H2's background compaction is off: rewriting pages of the library's index maps compares their keys with
        // H2's default type, which cannot compare them ("Can not compare"), and H2 then closes the store. It did so
        // in the baseline 70 minutes into the large run (1M customers), failing every later write with a 500.
        MVStore store = new MVStore.Builder().fileName(dataDir.resolve("baseline.mv").toString())
                .autoCompactFillRate(0).open();
        MongoServer server = new MongoServer(new H2Backend(store));
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
