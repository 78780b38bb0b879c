package io.crmhistory.platform.audit;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Verifies an aggregate's chain straight from Axon's domain event table, bypassing the serializer
 * and upcasters: what is checked is exactly what is stored.
 * <p>
 * The rows are read a page at a time (by sequence number, on from the last one read), never the whole stream at
 * once: writers may record contacts without limit, and a verification of a long stream must not hold it in memory.
 * The page is bounded with the JDBC statement's maximum row count, which every driver honours (PostgreSQL's would
 * otherwise fetch the whole result before the first row, unless in a transaction with a fetch size).
 */
public class JdbcEventChains {

    /** Rows per query: large enough that the query's round trip is small beside the rows' hashing. */
    static final int PAGE = 1_000;

    private final JdbcTemplate paged;
    private final String firstPage;
    private final String nextPage;

    public JdbcEventChains(JdbcTemplate jdbc, EventSchema schema) {
        this(jdbc, schema, PAGE);
    }

    JdbcEventChains(JdbcTemplate jdbc, EventSchema schema, int page) {
        this.paged = new JdbcTemplate(jdbc.getDataSource());
        this.paged.setMaxRows(page);
        this.paged.setFetchSize(page);
        this.paged.setQueryTimeout(jdbc.getQueryTimeout());
        String sequence = schema.sequenceNumberColumn();
        String select = "SELECT " + sequence + ", " + schema.typeColumn() + ", " + schema.payloadTypeColumn() + ", "
                + schema.payloadRevisionColumn() + ", " + schema.payloadColumn() + ", " + schema.metaDataColumn() + ", "
                + schema.globalIndexColumn() + " FROM " + schema.domainEventTable() + " WHERE "
                + schema.aggregateIdentifierColumn() + " = ?";
        // In the order of Axon's unique index (aggregate, sequence), so a page is a range of it, not a sort of the rest.
        String order = " ORDER BY " + sequence;
        this.firstPage = select + order;
        this.nextPage = select + " AND " + sequence + " >= ?" + order;
    }

    /**
     * Hands the aggregate's stored rows to {@code row} by sequence number until it answers false or the rows end.
     * A page goes on from the last sequence read, that sequence included, and skips the rows it handed over already
     * (by global index): a row given the sequence number of another (were the unique constraint dropped) is read, and
     * breaks the chain, wherever the pages end.
     *
     * @return how many rows were handed over (0 for an unknown aggregate)
     */
    public long read(String aggregateIdentifier, Predicate<StoredEvent> row) {
        Reading reading = new Reading(row);
        paged.query(firstPage, reading, aggregateIdentifier);
        while (reading.goesOn(paged.getMaxRows())) {
            paged.query(nextPage, reading, aggregateIdentifier, reading.lastSequence);
        }
        return reading.handed;
    }

    /** One read of an aggregate's rows, page after page. */
    private static final class Reading implements RowCallbackHandler {

        private final Predicate<StoredEvent> row;
        /** The global indexes of the rows handed over with the last sequence read. */
        private final Set<Long> handedAtLast = new HashSet<>();
        private long lastSequence;
        private long handed;
        private boolean wanted = true;
        private int pageRows;
        private int pageHanded;

        Reading(Predicate<StoredEvent> row) {
            this.row = row;
        }

        @Override
        public void processRow(ResultSet rs) throws SQLException {
            pageRows++;
            long sequence = rs.getLong(1);
            long globalIndex = rs.getLong(7);
            boolean atLast = !handedAtLast.isEmpty() && sequence == lastSequence;
            if (!wanted || (atLast && handedAtLast.contains(globalIndex))) {
                return;
            }
            if (!atLast) {
                handedAtLast.clear();
                lastSequence = sequence;
            }
            handedAtLast.add(globalIndex);
            pageHanded++;
            handed++;
            wanted = row.test(new StoredEvent(sequence, rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getBytes(5), rs.getBytes(6)));
        }

        /**
         * Whether another page is to be read, starting the count afresh: not after one that was not full, nor after one
         * with nothing new (a full page of rows handed over already would be read again and again).
         */
        boolean goesOn(int pageSize) {
            boolean more = wanted && pageRows == pageSize && pageHanded > 0;
            pageRows = 0;
            pageHanded = 0;
            return more;
        }
    }

    public ChainVerification verify(String aggregateIdentifier) {
        ChainVerifier verifier = new ChainVerifier();
        read(aggregateIdentifier, verifier::accept);
        return verifier.result();
    }
}
