package io.crmhistory.platform.eventstore;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Axon's JDBC engine whose events parse their stored time stamp once, with {@link StoredTimestamps}, when the row is
 * read. Axon's entries keep the text and parse it with a general ISO parser on every {@code getTimestamp()}: once in
 * the reading thread (the gap check below) and again when a processor builds the message.
 * <p>
 * The tracked read is Axon's own ({@code JdbcEventStorageEngine.getTrackedEventData} in 4.12) apart from the entry
 * it builds: the token is computed the same way, with the gap settings this class gives the builder, since the
 * engine keeps its own private. {@code ParsedTimestampsEventStorageEngineTest} reads the same rows with Axon's engine
 * and compares every event and token.
 */
final class ParsedTimestampsEventStorageEngine extends JdbcEventStorageEngine {

    /** Axon's defaults, set explicitly so that the engine and the token computed here agree. */
    static final long LOWEST_GLOBAL_SEQUENCE = 1;
    static final int MAX_GAP_OFFSET = 10_000;
    static final int GAP_TIMEOUT_MILLIS = 60_000;

    private final EventSchema schema;

    private ParsedTimestampsEventStorageEngine(Builder builder, EventSchema schema) {
        super(builder.schema(schema)
                .lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE)
                .maxGapOffset(MAX_GAP_OFFSET)
                .gapTimeout(GAP_TIMEOUT_MILLIS));
        this.schema = schema;
    }

    /** The engine {@code builder} describes, reading {@code schema}'s table. */
    static JdbcEventStorageEngine build(Builder builder, EventSchema schema) {
        return new ParsedTimestampsEventStorageEngine(builder, schema);
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        long globalSequence = resultSet.getLong(schema.globalIndexColumn());
        String aggregateIdentifier = resultSet.getString(schema.aggregateIdentifierColumn());
        String eventIdentifier = resultSet.getString(schema.eventIdentifierColumn());
        Entry<?> event = entry(resultSet, eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                eventIdentifier);

        boolean allowGaps = event.getTimestamp().isAfter(gapTimeoutFrame());
        GapAwareTrackingToken token;
        if (previousToken == null) {
            token = GapAwareTrackingToken.newInstance(globalSequence, allowGaps
                    ? LongStream.range(Math.min(LOWEST_GLOBAL_SEQUENCE, globalSequence), globalSequence).boxed()
                    .collect(Collectors.toCollection(TreeSet::new))
                    : Collections.emptySortedSet());
        } else {
            token = previousToken.advanceTo(globalSequence, allowGaps ? MAX_GAP_OFFSET : 0);
        }
        return new TrackedDomainEventData<>(token, event);
    }

    @Override
    protected DomainEventData<?> getDomainEventData(ResultSet resultSet) throws SQLException {
        return entry(resultSet, resultSet.getString(schema.aggregateIdentifierColumn()),
                resultSet.getString(schema.eventIdentifierColumn()));
    }

    /** The row's event, as Axon's engine reads it, with the identifiers already read. */
    private Entry<?> entry(ResultSet resultSet, String aggregateIdentifier, String eventIdentifier) throws SQLException {
        return new Entry<>(resultSet.getString(schema.typeColumn()), aggregateIdentifier,
                resultSet.getLong(schema.sequenceNumberColumn()), eventIdentifier,
                readTimeStamp(resultSet, schema.timestampColumn()),
                resultSet.getString(schema.payloadTypeColumn()), resultSet.getString(schema.payloadRevisionColumn()),
                readPayload(resultSet, schema.payloadColumn()), readPayload(resultSet, schema.metaDataColumn()));
    }

    private static Instant gapTimeoutFrame() {
        return GenericEventMessage.clock.instant().minus(GAP_TIMEOUT_MILLIS, ChronoUnit.MILLIS);
    }

    /**
     * Axon's entry, with the instant parsed once, when first asked for: a tracked read asks at once (the gap check),
     * an aggregate's load may never ask.
     */
    private static final class Entry<T> extends GenericDomainEventEntry<T> {

        private final Object storedTimestamp;
        /** Parsed once; a race parses twice and keeps an equal, immutable instant. */
        private Instant timestamp;

        Entry(String type, String aggregateIdentifier, long sequenceNumber, String eventIdentifier,
              Object storedTimestamp, String payloadType, String payloadRevision, T payload, T metaData) {
            super(type, aggregateIdentifier, sequenceNumber, eventIdentifier, storedTimestamp, payloadType,
                    payloadRevision, payload, metaData);
            this.storedTimestamp = storedTimestamp;
        }

        @Override
        public Instant getTimestamp() {
            Instant parsed = timestamp;
            if (parsed == null) {
                // Axon's readTimeStamp gives the column's text; an engine reading another type keeps Axon's conversion.
                parsed = storedTimestamp instanceof String stored ? StoredTimestamps.parse(stored) : super.getTimestamp();
                timestamp = parsed;
            }
            return parsed;
        }
    }
}
