package io.crmhistory.platform.audit;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.function.Predicate;

/**
 * Verifies an aggregate's chain straight from Axon's domain event table, bypassing the serializer
 * and upcasters: what is checked is exactly what is stored.
 * <p>
 * The rows are read a page at a time (by sequence number, from the last one read on), never the whole stream at
 * once: writers may record contacts without limit, and a verification of a long stream must not hold it in memory.
 * The page is bounded with the JDBC statement's maximum row count, which every driver honours (PostgreSQL's would
 * otherwise fetch the whole result before the first row, unless in a transaction with a fetch size).
 */
public class JdbcEventChains {

    /** Rows per query: large enough that the query's round trip is small beside the rows' hashing. */
    static final int PAGE = 1_000;

    private final JdbcTemplate paged;
    private final String query;

    public JdbcEventChains(JdbcTemplate jdbc, EventSchema schema) {
        this(jdbc, schema, PAGE);
    }

    JdbcEventChains(JdbcTemplate jdbc, EventSchema schema, int page) {
        this.paged = new JdbcTemplate(jdbc.getDataSource());
        this.paged.setMaxRows(page);
        this.paged.setFetchSize(page);
        this.paged.setQueryTimeout(jdbc.getQueryTimeout());
        this.query = "SELECT " + schema.sequenceNumberColumn() + ", " + schema.typeColumn() + ", " + schema.payloadTypeColumn() + ", "
                + schema.payloadRevisionColumn() + ", " + schema.payloadColumn() + ", " + schema.metaDataColumn()
                + " FROM " + schema.domainEventTable() + " WHERE " + schema.aggregateIdentifierColumn() + " = ?"
                + " AND " + schema.sequenceNumberColumn() + " >= ? ORDER BY " + schema.sequenceNumberColumn();
    }

    /**
     * Hands the aggregate's stored rows to {@code row} by sequence number until it answers false or the rows end.
     *
     * @return how many rows were handed over (0 for an unknown aggregate)
     */
    public long read(String aggregateIdentifier, Predicate<StoredEvent> row) {
        long handed = 0;
        long from = Long.MIN_VALUE;
        while (true) {
            long[] page = {0, from};
            boolean[] wanted = {true};
            paged.query(query, rs -> {
                if (wanted[0]) {
                    StoredEvent event = new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getBytes(5), rs.getBytes(6));
                    page[0]++;
                    page[1] = event.sequence();
                    wanted[0] = row.test(event);
                }
            }, aggregateIdentifier, from);
            handed += page[0];
            if (!wanted[0] || page[0] < paged.getMaxRows()) {
                return handed;
            }
            from = page[1] + 1;
        }
    }

    public ChainVerification verify(String aggregateIdentifier) {
        ChainVerifier verifier = new ChainVerifier();
        read(aggregateIdentifier, verifier::accept);
        return verifier.result();
    }
}
