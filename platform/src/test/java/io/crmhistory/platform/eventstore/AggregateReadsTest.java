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

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Axon's own engine, reading one aggregate with the larger per-query batch and a small fetch size. */
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
                .readEventDataForAggregate(EventStorageEngineAutoConfiguration.aggregateReads(3, 2))
                .build();
        engine.createSchema(H2EventTableFactory.INSTANCE);
        engine.appendEvents(IntStream.range(0, 10).mapToObj(i -> event("c-1", i)).toList());
        engine.appendEvents(event("c-2", 0));

        assertThat(sequences(engine, "c-1", 0)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(sequences(engine, "c-1", 7)).containsExactly(7L, 8L, 9L);
        assertThat(sequences(engine, "c-2", 0)).containsExactly(0L);
        assertThat(sequences(engine, "c-3", 0)).isEmpty();
    }

    private static List<Long> sequences(JdbcEventStorageEngine engine, String aggregate, long from) {
        return engine.readEvents(aggregate, from).asStream().map(DomainEventMessage::getSequenceNumber).toList();
    }

    private static DomainEventMessage<String> event(String aggregate, long sequence) {
        return new GenericDomainEventMessage<>("Customer", aggregate, sequence, aggregate + "#" + sequence);
    }
}
