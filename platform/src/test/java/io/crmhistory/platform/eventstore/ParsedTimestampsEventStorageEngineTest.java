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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine reading time stamps once gives every event, time stamp and token Axon's engine gives for the same rows:
 * with gaps in the global index, for events inside and outside Axon's gap timeout, from the start and from a token.
 */
class ParsedTimestampsEventStorageEngineTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final String CUSTOMER = "customer";

    private final EventSchema schema = new EventSchema();
    private final Clock axonClock = GenericEventMessage.clock;
    private JdbcDataSource dataSource;
    private JdbcEventStorageEngine axon;
    private JdbcEventStorageEngine parsedOnce;

    @BeforeEach
    void storeWithGaps(TestInfo test) throws SQLException {
        // The gap check compares each event's time with Axon's clock: fixed, so the test never depends on today.
        GenericEventMessage.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + test.getTestMethod().orElseThrow().getName() + ";DB_CLOSE_DELAY=-1");
        axon = builder().build();
        parsedOnce = ParsedTimestampsEventStorageEngine.build(builder(), schema);
        axon.createSchema(H2EventTableFactory.INSTANCE);

        List<EventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // The first half long before the clock (Axon then keeps no gaps), the rest within its 60 s gap timeout.
            Instant at = i < 15 ? NOW.minus(Duration.ofDays(400)).plusMillis(i * 1_234L) : NOW.minusSeconds(30 - i);
            events.add(new GenericDomainEventMessage<>("Customer", i % 3 == 0 ? CUSTOMER : "c-" + i, i / 3,
                    Map.of("n", i), MetaData.with("correlationId", "r-" + i), "event-" + i, at));
        }
        events.add(GenericEventMessage.asEventMessage("not an aggregate's event").andMetaData(Map.of()));
        axon.appendEvents(events);
        try (Connection connection = dataSource.getConnection()) {
            // Gaps: rows of transactions that never committed, among the old events and among the recent ones.
            connection.createStatement().executeUpdate(
                    "DELETE FROM " + schema.domainEventTable() + " WHERE " + schema.globalIndexColumn() + " IN (1, 4, 5, 20, 26)");
        }
    }

    @AfterEach
    void restoreAxonsClock() {
        GenericEventMessage.clock = axonClock;
    }

    @Test
    void trackedReadsGiveTheSameEventsTimesAndTokens() {
        List<String> expected = tracked(axon, null);
        assertThat(expected).hasSize(26);
        assertThat(tracked(parsedOnce, null)).containsExactlyElementsOf(expected);
    }

    @Test
    void aReadFromATokenWithGapsGivesTheSameEventsAndTokens() {
        TrackedEventMessage<?> recent = axon.readEvents(null, false).filter(e -> e.getIdentifier().equals("event-22"))
                .findFirst().orElseThrow();
        assertThat(recent.trackingToken().toString()).contains("gaps=[20]");
        assertThat(tracked(parsedOnce, recent)).hasSize(7).containsExactlyElementsOf(tracked(axon, recent));
    }

    @Test
    void anAggregatesEventsReadTheSame() {
        List<String> expected = axon.readEvents(CUSTOMER).asStream().map(ParsedTimestampsEventStorageEngineTest::describe).toList();
        assertThat(expected).hasSize(8);
        assertThat(parsedOnce.readEvents(CUSTOMER).asStream().map(ParsedTimestampsEventStorageEngineTest::describe))
                .containsExactlyElementsOf(expected);
    }

    private JdbcEventStorageEngine.Builder builder() {
        return TestEngines.builder(dataSource, 4);
    }

    private static List<String> tracked(JdbcEventStorageEngine engine, TrackedEventMessage<?> after) {
        return engine.readEvents(after == null ? null : after.trackingToken(), false)
                .map(event -> event.trackingToken() + " " + describe(event)).toList();
    }

    private static String describe(EventMessage<?> event) {
        String aggregate = event instanceof DomainEventMessage<?> domain
                ? domain.getType() + "/" + domain.getAggregateIdentifier() + "/" + domain.getSequenceNumber() : "-";
        return event.getIdentifier() + " " + aggregate + " " + event.getTimestamp() + " " + event.getPayload()
                + " " + event.getMetaData();
    }
}
