package io.crmhistory.query.projection;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import io.crmhistory.embeddedmongo.ReadModelBackend;
import io.crmhistory.query.infrastructure.ReadModelTemplates;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.nio.file.Path;
import java.util.function.Consumer;

/** The embedded read-model store on a file, as the query side runs it, for tests of what it keeps. */
public final class EmbeddedStoreOnFile {

    private EmbeddedStoreOnFile() {
    }

    /** Opens the store on {@code file} for {@code use} and closes it after (two calls are a restart between). */
    public static void use(Path file, Consumer<MongoTemplate> use) {
        ReadModelBackend backend = ReadModelBackend.withDefaults(ReadModelBackend.openStore(file.toString(), null, 16, true));
        MongoServer server = new MongoServer(backend);
        try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString())) {
            use.accept(ReadModelTemplates.configuredLikeTheQuerySide(client, "crm"));
        } finally {
            server.shutdownNow();
            backend.close();
        }
    }
}
