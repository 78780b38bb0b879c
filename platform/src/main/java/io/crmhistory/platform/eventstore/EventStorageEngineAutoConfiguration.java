package io.crmhistory.platform.eventstore;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.JdbcEventStorageEngineStatements;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.ReadEventDataForAggregateStatementBuilder;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;

/**
 * Axon's JDBC event storage engine as its Spring Boot auto-configuration builds it, with three differences: a
 * tracking read over gaps the database answers from an index range ({@link IndexedGapReads}), the
 * number of events read per query ({@code crm.eventstore.read-batch-size}, 1,000 instead of Axon's 100), and each
 * event's time stamp parsed once as its row is read ({@link ParsedTimestampsEventStorageEngine}). On H2 the
 * reads take the rows' text columns as bytes ({@link TextAsBytesReads}), which cross the link in one piece instead
 * of a character at a time.
 * <p>
 * Over the embedded store's {@code AUTO_SERVER} link, a query answer larger than H2's 64 KiB socket buffer leaves in
 * two writes, and H2's sockets keep Nagle's algorithm on: the second write waits for the reader's delayed
 * acknowledgement, 40 ms on Linux. So the rows of a query cross the socket 50 at a time (H2's client-wide
 * {@code h2.serverResultSetFetchSize}, which {@code PlatformDefaultsEnvironmentPostProcessor} sets from
 * {@code crm.eventstore.rows-per-answer}: a remote prepared statement takes its fetch size when it is prepared, so
 * {@code setFetchSize} on it afterwards changes nothing), about 35 KiB of typical events per answer. Until session 43
 * a query also asked for only 50 events, and each query cost the file's owner a statement of its own: a streaming
 * read of the whole store over the link (a rebuild) then took about 15 % more CPU on each side than with 1,000 per
 * query, fetched in the same answers of 50 (docs/benchmarks-log.md, session 43). A processor near the store's head gets
 * what is there either way.
 * <p>
 * One aggregate's events are read up to {@code crm.eventstore.aggregate-read-batch-size} (10,000) per query, their
 * rows still crossing the socket 50 at a time: the H2 server then runs 2 queries for a 10,000-event history instead
 * of 201, and the client pays the ~40 ms stall that follows closing a partly fetched result once, not per query
 * (with 1,000 per query the as-of took 0.52-0.55 s, with 50 0.23-0.26 s, with 10,000 0.17-0.23 s).
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class, before = JdbcAutoConfiguration.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false", matchIfMissing = true)
public class EventStorageEngineAutoConfiguration {

    /**
     * How the engine tells an append that lost a race (another instance appended the same customer's sequence first)
     * from any other failure: by the SQL state of a unique-key violation, 23505 on H2 and PostgreSQL alike. Axon's
     * default for JDBC looks for a {@code SQLIntegrityConstraintViolationException} among the causes, but both
     * drivers report a failed batch insert as a {@code BatchUpdateException} with the violation as its next exception
     * (H2) or its cause's state (PostgreSQL), so it never found one: a lost race was an {@code EventStoreException},
     * not retried, and answered 500 instead of being retried against the fresh state.
     */
    @Bean
    @ConditionalOnMissingBean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver("23505");
    }

    /** Axon's default table and column names (Axon's own bean steps back once an engine exists). */
    @Bean
    @ConditionalOnMissingBean
    EventSchema eventSchema() {
        return new EventSchema();
    }

    @Bean
    EventStorageEngine eventStorageEngine(JdbcEventStorageEngines engines,
                                          org.axonframework.config.Configuration configuration) {
        return engines.withUpcasters(configuration.upcasterChain());
    }

    @Bean
    JdbcEventStorageEngines jdbcEventStorageEngines(Serializer defaultSerializer,
                                                    PersistenceExceptionResolver persistenceExceptionResolver,
                                                    @Qualifier("eventSerializer") Serializer eventSerializer,
                                                    org.axonframework.config.Configuration configuration,
                                                    ConnectionProvider connectionProvider,
                                                    TransactionManager transactionManager,
                                                    EventSchema eventSchema,
                                                    EventStoreSchema eventStore,
                                                    @Value("${crm.eventstore.read-batch-size:1000}") int batchSize,
                                                    @Value("${crm.eventstore.aggregate-read-batch-size:10000}")
                                                    int aggregateBatchSize) {
        boolean h2 = eventStore.storesEventsInH2();
        return new JdbcEventStorageEngines(() -> JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .batchSize(batchSize)
                .readEventDataForAggregate(h2 ? TextAsBytesReads.forAggregate(aggregateBatchSize)
                        : aggregateReads(aggregateBatchSize))
                .readEventDataWithGaps(h2 ? IndexedGapReads.TEXT_AS_BYTES : IndexedGapReads.INSTANCE)
                .readEventDataWithoutGaps(h2 ? TextAsBytesReads.WITHOUT_GAPS
                        : JdbcEventStorageEngineStatements::readEventDataWithoutGaps), eventSchema);
    }

    /**
     * One customer's events, up to {@code aggregateBatchSize} per query instead of the engine's batch size: a long
     * history (an as-of of 10,000 events) is then 1 query rather than 200. Axon reads an aggregate until a query
     * comes back empty, so a batch larger than the engine's is safe.
     */
    static ReadEventDataForAggregateStatementBuilder aggregateReads(int aggregateBatchSize) {
        return (connection, schema, identifier, firstSequenceNumber, engineBatchSize) ->
                JdbcEventStorageEngineStatements.readEventDataForAggregate(connection,
                        schema, identifier, firstSequenceNumber, aggregateBatchSize);
    }
}
