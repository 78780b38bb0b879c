package io.crmhistory.platform.eventstore;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;

import javax.sql.DataSource;

/** Axon's JDBC engine over a test database, as the engine tests compare it with this package's readers. */
final class TestEngines {

    private TestEngines() {
    }

    /** Jackson for events and snapshots, no transactions, every insert error not a duplicate; small batches. */
    static JdbcEventStorageEngine.Builder builder(DataSource dataSource, int batchSize) {
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        PersistenceExceptionResolver noDuplicates = e -> false;
        return JdbcEventStorageEngine.builder()
                .connectionProvider(dataSource::getConnection)
                .transactionManager(NoTransactionManager.INSTANCE)
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .persistenceExceptionResolver(noDuplicates)
                .batchSize(batchSize);
    }
}
