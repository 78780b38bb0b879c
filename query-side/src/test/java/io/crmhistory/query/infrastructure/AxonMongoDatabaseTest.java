package io.crmhistory.query.infrastructure;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens and dead letters live beside the read models they describe, whichever way the database is named. */
class AxonMongoDatabaseTest {

    @Test
    void tokensAndDeadLettersAreKeptInTheReadModelsDatabase() {
        // spring.data.mongodb.database=other with a URI naming another database (or none): Spring Data writes to "other"
        try (MongoClient client = MongoClients.create("mongodb://localhost:1/crm")) {
            MongoTemplate axon = new MongoConfiguration().axonMongoTemplate(client,
                    new SimpleMongoClientDatabaseFactory(client, "other"));

            assertThat(axon.trackingTokensCollection().getNamespace().getDatabaseName()).isEqualTo("other");
            assertThat(axon.deadLetterCollection().getNamespace().getDatabaseName()).isEqualTo("other");
        }
    }
}
