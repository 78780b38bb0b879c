package io.crmhistory.query.projection;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.crmhistory.query.infrastructure.ReadModelTemplates;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.util.concurrent.TimeUnit;

/**
 * An in-memory MongoDB-compatible server and a client on it, for tests of what a class keeps in the store. The
 * client gives up within a second when the server is gone, for tests of an unavailable store.
 */
public final class InProcessMongo implements AutoCloseable {

    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final MongoClient client = MongoClients.create(MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(server.bindAndGetConnectionString()))
            .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(1, TimeUnit.SECONDS))
            .applyToSocketSettings(socket -> socket.connectTimeout(1, TimeUnit.SECONDS))
            .build());

    public MongoClient client() {
        return client;
    }

    /** A template with the query side's converter. */
    public MongoTemplate template() {
        return ReadModelTemplates.configuredLikeTheQuerySide(client);
    }

    /** Stops the server, leaving the client to find it gone. */
    public void stopServer() {
        server.shutdownNow();
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
