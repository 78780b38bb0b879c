package io.crmhistory.platform.eventstore;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.ReadEventDataForAggregateStatementBuilder;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.ReadEventDataWithoutGapsStatementBuilder;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Axon's streaming and aggregate reads of the embedded H2 store with the text columns of a row (its id, the
 * customer's id, the aggregate and payload types, the revision, the timestamp) selected as their UTF-8 bytes:
 * {@code CAST(column AS VARBINARY)} under the column's own name. H2 2.x reads a {@code VARBINARY} back through
 * {@code getString} as UTF-8 text, so Axon's row mapping gets the same strings; the statements are Axon's otherwise
 * (the gap read is {@link IndexedGapReads}, given {@link #trackedFields}). The stored rows do not change.
 * <p>
 * Why: the query side reads the events over H2's {@code AUTO_SERVER} link, where H2's server writes and its client
 * reads every string one character at a time ({@code Transfer.writeString}/{@code readString}: two synchronized stream
 * calls per character on each side), about 180 characters per event, half the CPU of a rebuild's reading thread
 * (docs/benchmarks-log.md, session 42). Bytes cross in one piece. Read over the link from a store of 1.16M events:
 * 1.7 times as many events per second, half the reader's CPU per event and a third less of the serving side's; in
 * one process no difference that shows (session 47). Rebuilds gained only once the projections woke Axon's reader
 * instead of leaving it asleep on a full queue (value rebuilds 1.04 times as fast at 100,000 customers and 1.03 at a
 * million, the serving side's CPU 15 and 12 % less, session 48). Axon's inserts use the schema's field list too, which is why
 * these are statements of their own rather than a schema with another list.
 */
final class TextAsBytesReads {

    /**
     * The select list of each schema (one per application; EventSchema compares by identity), built once: the
     * statements ask for it on every streaming query and every aggregate load.
     */
    private static final Map<EventSchema, String> TRACKED_FIELDS = new ConcurrentHashMap<>();

    private TextAsBytesReads() {
    }

    /** Axon's list of a tracked read, the global index and then {@link #domainFields}. */
    static String trackedFields(EventSchema schema) {
        return TRACKED_FIELDS.computeIfAbsent(schema, s -> s.globalIndexColumn() + ", " + domainFields(s));
    }

    /** Axon's list of a domain event's columns, in its order, the text ones cast to bytes. */
    private static String domainFields(EventSchema schema) {
        Set<String> text = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        text.addAll(List.of(schema.eventIdentifierColumn(), schema.aggregateIdentifierColumn(), schema.typeColumn(),
                schema.timestampColumn(), schema.payloadTypeColumn(), schema.payloadRevisionColumn()));
        return List.of(schema.eventIdentifierColumn(), schema.aggregateIdentifierColumn(), schema.sequenceNumberColumn(),
                        schema.typeColumn(), schema.timestampColumn(), schema.payloadTypeColumn(),
                        schema.payloadRevisionColumn(), schema.payloadColumn(), schema.metaDataColumn()).stream()
                .map(column -> text.contains(column) ? "CAST(" + column + " AS VARBINARY) AS " + column : column)
                .collect(Collectors.joining(", "));
    }

    /** A streaming read of a range of the global index, as Axon's. */
    static final ReadEventDataWithoutGapsStatementBuilder WITHOUT_GAPS = (connection, schema, globalIndex, batchSize) -> {
        String index = schema.globalIndexColumn();
        PreparedStatement statement = connection.prepareStatement("SELECT " + trackedFields(schema) + " FROM "
                + schema.domainEventTable() + " WHERE (" + index + " > ? AND " + index + " <= ?) ORDER BY " + index + " ASC");
        statement.setLong(1, globalIndex);
        statement.setLong(2, globalIndex + batchSize);
        return statement;
    };

    /** One aggregate's events from a sequence number, as Axon's, {@code aggregateBatchSize} at a time (as the plain one). */
    static ReadEventDataForAggregateStatementBuilder forAggregate(int aggregateBatchSize) {
        return (connection, schema, identifier, firstSequenceNumber, engineBatchSize) -> {
            String sequence = schema.sequenceNumberColumn();
            PreparedStatement statement = connection.prepareStatement("SELECT " + trackedFields(schema) + " FROM "
                    + schema.domainEventTable() + " WHERE " + schema.aggregateIdentifierColumn() + " = ? AND " + sequence
                    + " >= ? AND " + sequence + " < ? ORDER BY " + sequence + " ASC");
            statement.setString(1, identifier);
            statement.setLong(2, firstSequenceNumber);
            statement.setLong(3, firstSequenceNumber + aggregateBatchSize);
            return statement;
        };
    }
}
