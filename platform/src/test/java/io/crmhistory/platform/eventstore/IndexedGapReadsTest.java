package io.crmhistory.platform.eventstore;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.JdbcEventStorageEngineStatements;
import org.axonframework.serialization.json.JacksonSerializer;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The gap read returns Axon's rows, from lookups and a range of the global index rather than a scan of the table. */
class IndexedGapReadsTest {

    private static final int EVENTS = 300;

    private final EventSchema schema = new EventSchema();
    private JdbcDataSource dataSource;
    private JdbcEventStorageEngine engine;

    @BeforeEach
    void storeWithEvents(org.junit.jupiter.api.TestInfo test) {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + test.getTestMethod().orElseThrow().getName() + ";DB_CLOSE_DELAY=-1");
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        PersistenceExceptionResolver noDuplicates = e -> false;
        engine = JdbcEventStorageEngine.builder()
                .connectionProvider(dataSource::getConnection)
                .transactionManager(NoTransactionManager.INSTANCE)
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .persistenceExceptionResolver(noDuplicates)
                .batchSize(20)
                .readEventDataWithGaps(IndexedGapReads.INSTANCE)
                .build();
        engine.createSchema(H2EventTableFactory.INSTANCE);
        engine.appendEvents(IntStream.range(0, EVENTS)
                .mapToObj(i -> new GenericDomainEventMessage<>("Customer", "c-" + i % 7, i / 7, "event " + i))
                .toList());
    }

    @Test
    void returnsTheSameRowsInTheSameOrderAsAxonsQuery() throws SQLException {
        Random random = new Random(20260101);
        try (Connection connection = dataSource.getConnection()) {
            for (int round = 0; round < 500; round++) {
                long index = random.nextInt(EVENTS + 20) - 1;
                int batchSize = 1 + random.nextInt(60);
                // Mostly gaps below the index as tokens hold them, sometimes any value (and duplicates, unknown rows).
                List<Long> gaps = new ArrayList<>();
                int gapCount = 1 + random.nextInt(6);
                for (int i = 0; i < gapCount; i++) {
                    gaps.add(random.nextInt(10) == 0 ? random.nextInt(EVENTS + 100) - 20 : index - random.nextInt(40));
                }
                String question = "index " + index + ", batch " + batchSize + ", gaps " + gaps;
                assertThat(indexes(IndexedGapReads.INSTANCE.build(connection, schema, index, batchSize, gaps)))
                        .as(question)
                        .containsExactlyElementsOf(indexes(JdbcEventStorageEngineStatements.readEventDataWithGaps(
                                connection, schema, index, batchSize, gaps)));
            }
        }
    }

    @Test
    void theDatabaseLooksUpTheGapsAndReadsTheBatchAsARangeOfTheGlobalIndex() throws SQLException {
        List<Long> gaps = List.of(190L, 195L);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement explain = connection.prepareStatement("EXPLAIN " + IndexedGapReads.INSTANCE.sql(schema, gaps.size()))) {
            IndexedGapReads.bind(explain, 200, 50, gaps);
            try (ResultSet plan = explain.executeQuery()) {
                plan.next();
                // H2 names the index each select reads and, in the same comment, the keys or range it reads there;
                // for Axon's query the comment is the index's name alone, a scan of the whole table.
                assertThat(plan.getString(1))
                        .containsPattern("/\\* PUBLIC\\.PRIMARY_KEY_\\w+: GLOBALINDEX IN\\(")
                        .containsPattern("/\\* PUBLIC\\.PRIMARY_KEY_\\w+: GLOBALINDEX > \\?\\d+\\s+AND GLOBALINDEX <= ");
            }
        }
    }

    @Test
    void aTrackingReadDeliversTheGapsThenTheEventsAfterTheToken() {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(250, new TreeSet<>(List.of(100L, 240L)));

        List<Object> read = engine.readEvents(token, false).limit(6).<Object>map(TrackedEventMessage::getPayload).toList();

        // Global index n holds "event n-1".
        assertThat(read).containsExactly("event 99", "event 239", "event 250", "event 251", "event 252", "event 253");
    }

    private static List<Long> indexes(PreparedStatement statement) throws SQLException {
        List<Long> indexes = new ArrayList<>();
        try (statement; ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                indexes.add(rows.getLong("globalIndex"));
            }
        }
        return indexes;
    }
}
