package io.crmhistory.platform.eventstore;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.ReadEventDataWithGapsStatementBuilder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A tracking processor's read when its token has gaps (events whose transactions had not committed when later ones
 * had), with the same rows as Axon's query, each part of which the database answers from the global index.
 * <p>
 * Axon asks {@code WHERE (globalIndex > ? AND globalIndex <= ?) OR globalIndex IN (gaps)}. H2 finds no index range
 * in a disjunction and reads the whole event table for it, row by row, on every poll of every processor whose token
 * has a gap; gaps are the norm while several clients write at once (one never filled, from a rolled-back transaction,
 * stays until Axon drops it as too old or too far behind). With 281,000 events this was 71 % of the command side's
 * CPU (the file's owner runs the query side's reads over {@code AUTO_SERVER}) during a 16-client ingest, and the
 * cost grows with the store. Here the two halves of the disjunction are two selects joined by {@code UNION ALL}:
 * the gaps looked up by key, the batch read as a range of the key; the gap half leaves out a gap inside the range,
 * so no row comes twice, and the union is sorted as Axon's answer is. Its cost is that of the rows returned, however
 * far back the oldest gap lies.
 */
public final class IndexedGapReads implements ReadEventDataWithGapsStatementBuilder {

    /** With Axon's select list. */
    public static final IndexedGapReads INSTANCE = new IndexedGapReads(EventSchema::trackedEventFields);
    /** With the text columns as bytes, for H2 ({@link TextAsBytesReads}). */
    static final IndexedGapReads TEXT_AS_BYTES = new IndexedGapReads(TextAsBytesReads::trackedFields);

    private final Function<EventSchema, String> trackedFields;

    private IndexedGapReads(Function<EventSchema, String> trackedFields) {
        this.trackedFields = trackedFields;
    }

    @Override
    public PreparedStatement build(Connection connection, EventSchema schema, long globalIndex, int batchSize,
                                   List<Long> gaps) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql(schema, gaps.size()));
        bind(statement, globalIndex, batchSize, gaps);
        return statement;
    }

    /** The query for {@code gapCount} gaps (at least one; Axon asks without gaps otherwise). */
    String sql(EventSchema schema, int gapCount) {
        String index = schema.globalIndexColumn();
        String select = "SELECT " + trackedFields.apply(schema) + " FROM " + schema.domainEventTable();
        return select + " WHERE " + index + " IN (" + String.join(",", Collections.nCopies(gapCount, "?")) + ")"
                + " AND (" + index + " <= ? OR " + index + " > ?)"
                + " UNION ALL "
                + select + " WHERE " + index + " > ? AND " + index + " <= ?"
                + " ORDER BY " + index + " ASC";
    }

    static void bind(PreparedStatement statement, long globalIndex, int batchSize, List<Long> gaps)
            throws SQLException {
        long upTo = globalIndex + batchSize;
        int parameter = 1;
        for (Long gap : gaps) {
            statement.setLong(parameter++, gap);
        }
        statement.setLong(parameter++, globalIndex);
        statement.setLong(parameter++, upTo);
        statement.setLong(parameter++, globalIndex);
        statement.setLong(parameter, upTo);
    }
}
