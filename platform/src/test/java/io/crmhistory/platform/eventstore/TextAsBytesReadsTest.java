package io.crmhistory.platform.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Axon's engine reading the rows' text as bytes gets every event, snapshot and token as it does with its own schema. */
class TextAsBytesReadsTest {

    /** Not only ASCII: an id is whatever the client sent, and UTF-8 takes one to four bytes a character. */
    private static final String CUSTOMER = "kundé-ß-中文-😀";

    private final EventSchema schema = new EventSchema();
    private JdbcDataSource dataSource;
    private JdbcEventStorageEngine plain;
    private JdbcEventStorageEngine textAsBytes;

    @BeforeEach
    void storeWithEvents(TestInfo test) {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + test.getTestMethod().orElseThrow().getName() + ";DB_CLOSE_DELAY=-1");
        plain = builder()
                .readEventDataForAggregate(EventStorageEngineAutoConfiguration.aggregateReads(5))
                .readEventDataWithGaps(IndexedGapReads.INSTANCE)
                .build();
        textAsBytes = builder()
                .readEventDataForAggregate(TextAsBytesReads.forAggregate(5))
                .readEventDataWithGaps(IndexedGapReads.TEXT_AS_BYTES)
                .readEventDataWithoutGaps(TextAsBytesReads.WITHOUT_GAPS)
                .build();
        plain.createSchema(H2EventTableFactory.INSTANCE);

        List<EventMessage<?>> events = new ArrayList<>();
        IntStream.range(0, 25).forEach(i -> events.add(new GenericDomainEventMessage<>("Customer", i % 2 == 0 ? CUSTOMER : "c-" + i,
                i / 2, Map.of("n", i, "text", "é" + i), MetaData.with("correlationId", "r-" + i))));
        events.add(GenericEventMessage.asEventMessage("not an aggregate's event")); // no aggregate id, no sequence
        plain.appendEvents(events.subList(0, 10));
        textAsBytes.appendEvents(events.subList(10, events.size())); // Axon's inserts, whichever reads it has
        textAsBytes.storeSnapshot(new GenericDomainEventMessage<>("Customer", CUSTOMER, 12, Map.of("state", "ü"),
                MetaData.emptyInstance(), "snapshot-1", Instant.parse("2026-01-01T00:00:00Z")));
    }

    @Test
    void trackedReadsGiveTheSameEventsAndTokens() {
        List<String> expected = tracked(plain);
        assertThat(expected).hasSize(26);
        assertThat(tracked(textAsBytes)).containsExactlyElementsOf(expected);
    }

    @Test
    void anAggregatesEventsAndSnapshotReadTheSame() {
        assertThat(domain(textAsBytes, CUSTOMER)).hasSize(13).containsExactlyElementsOf(domain(plain, CUSTOMER));
        assertThat(textAsBytes.readSnapshot(CUSTOMER).map(TextAsBytesReadsTest::describe))
                .isPresent().isEqualTo(plain.readSnapshot(CUSTOMER).map(TextAsBytesReadsTest::describe));
    }

    @Test
    void gapReadsGiveTheSameRows() throws SQLException {
        List<Long> gaps = List.of(2L, 5L, 30L);
        try (Connection connection = dataSource.getConnection()) {
            assertThat(rows(IndexedGapReads.TEXT_AS_BYTES.build(connection, schema, 10, 8, gaps)))
                    .hasSize(10)
                    .containsExactlyElementsOf(rows(IndexedGapReads.INSTANCE.build(connection, schema, 10, 8, gaps)));
        }
    }

    /** Without the casts the reads would take the text as text, and the tests above could not tell. */
    @Test
    void theReadsSelectTheTextColumnsAsBytes() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT " + TextAsBytesReads.trackedFields(schema) + " FROM " + schema.domainEventTable())) {
            ResultSetMetaData columns = rows.getMetaData();
            List<String> binary = new ArrayList<>();
            for (int i = 1; i <= columns.getColumnCount(); i++) {
                if (columns.getColumnType(i) == Types.VARBINARY) {
                    binary.add(columns.getColumnLabel(i).toLowerCase());
                }
            }
            assertThat(binary).containsExactlyInAnyOrder("eventidentifier", "aggregateidentifier", "type", "timestamp",
                    "payloadtype", "payloadrevision", "payload", "metadata");
        }
    }

    /** Each row's columns as getString reads them (payload and metadata as their bytes' hex). */
    private static List<String> rows(PreparedStatement query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (query; ResultSet result = query.executeQuery()) {
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (String column : List.of("globalIndex", "eventIdentifier", "aggregateIdentifier", "sequenceNumber",
                        "type", "timeStamp", "payloadType", "payloadRevision")) {
                    row.append(result.getString(column)).append('|');
                }
                rows.add(row.append(HexFormat.of().formatHex(result.getBytes("payload"))).toString());
            }
        }
        return rows;
    }

    private JdbcEventStorageEngine.Builder builder() {
        return TestEngines.builder(dataSource, 7);
    }

    private static List<String> tracked(JdbcEventStorageEngine engine) {
        return engine.readEvents(null, false)
                .map(event -> event.trackingToken() + " " + describe(event)).toList();
    }

    private static List<String> domain(JdbcEventStorageEngine engine, String aggregate) {
        return engine.readEvents(aggregate).asStream().map(TextAsBytesReadsTest::describe).toList();
    }

    private static String describe(EventMessage<?> event) {
        String aggregate = event instanceof DomainEventMessage<?> domain
                ? domain.getType() + "/" + domain.getAggregateIdentifier() + "/" + domain.getSequenceNumber() : "-";
        String tracked = event instanceof TrackedEventMessage<?> t ? String.valueOf(t.trackingToken()) : "";
        return event.getIdentifier() + " " + aggregate + " " + event.getTimestamp() + " " + event.getPayloadType().getName()
                + " " + event.getPayload() + " " + event.getMetaData() + tracked;
    }
}
