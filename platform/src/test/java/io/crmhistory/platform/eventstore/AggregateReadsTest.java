package io.crmhistory.platform.eventstore;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Axon's own engine on the H2 tables, reading one aggregate with the larger per-query batch. */
class AggregateReadsTest {

    @Test
    void anAggregateLongerThanSeveralBatchesIsReadWholeAndInOrderFromAnySequence() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:aggregate-reads;DB_CLOSE_DELAY=-1");
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        PersistenceExceptionResolver noDuplicates = e -> false;
        JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder()
                .connectionProvider(dataSource::getConnection)
                .transactionManager(NoTransactionManager.INSTANCE)
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .persistenceExceptionResolver(noDuplicates)
                .batchSize(2)
                .readEventDataForAggregate(EventStorageEngineAutoConfiguration.aggregateReads(3))
                .build();
        engine.createSchema(H2EventTableFactory.INSTANCE);
        engine.appendEvents(IntStream.range(0, 10).mapToObj(i -> event("c-1", i)).toList());
        engine.appendEvents(event("c-2", 0));

        assertThat(sequences(engine, "c-1", 0)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(sequences(engine, "c-1", 7)).containsExactly(7L, 8L, 9L);
        assertThat(sequences(engine, "c-2", 0)).containsExactly(0L);
        assertThat(sequences(engine, "c-3", 0)).isEmpty();
    }

    /** A BLOB would travel apart from its row, one extra round trip per event for a remote client. */
    @Test
    void payloadsAndMetadataAreStoredInlineWithTheirRows() throws SQLException {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:column-types;DB_CLOSE_DELAY=-1");
        try (Connection connection = dataSource.getConnection()) {
            EventSchema schema = new EventSchema();
            H2EventTableFactory.INSTANCE.createDomainEventTable(connection, schema).executeUpdate();
            H2EventTableFactory.INSTANCE.createSnapshotEventTable(connection, schema).executeUpdate();
            try (PreparedStatement types = connection.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE"
                    + " FROM INFORMATION_SCHEMA.COLUMNS WHERE COLUMN_NAME IN ('PAYLOAD', 'METADATA')");
                 ResultSet rows = types.executeQuery()) {
                List<String> found = new ArrayList<>();
                while (rows.next()) {
                    found.add(rows.getString(1) + "." + rows.getString(2) + " " + rows.getString(3));
                }
                assertThat(found).containsExactlyInAnyOrder(
                        "DOMAINEVENTENTRY.PAYLOAD BINARY VARYING", "DOMAINEVENTENTRY.METADATA BINARY VARYING",
                        "SNAPSHOTEVENTENTRY.PAYLOAD BINARY VARYING", "SNAPSHOTEVENTENTRY.METADATA BINARY VARYING");
            }
        }
    }

    private static List<Long> sequences(JdbcEventStorageEngine engine, String aggregate, long from) {
        return engine.readEvents(aggregate, from).asStream().map(DomainEventMessage::getSequenceNumber).toList();
    }

    private static DomainEventMessage<String> event(String aggregate, long sequence) {
        return new GenericDomainEventMessage<>("Customer", aggregate, sequence, aggregate + "#" + sequence);
    }
}
