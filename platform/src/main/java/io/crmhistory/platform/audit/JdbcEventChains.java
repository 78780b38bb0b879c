package io.crmhistory.platform.audit;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

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
        String globalIndex = schema.globalIndexColumn();
        String select = "SELECT " + sequence + ", " + schema.typeColumn() + ", " + schema.payloadTypeColumn() + ", "
                + schema.payloadRevisionColumn() + ", " + schema.payloadColumn() + ", " + schema.metaDataColumn() + ", "
                + globalIndex + " FROM " + schema.domainEventTable() + " WHERE " + schema.aggregateIdentifierColumn() + " = ?";
        // Ordered and continued by the row's global index too: a row given the sequence number of another (were the
        // unique constraint dropped) is read, and breaks the chain, wherever the pages end.
        String order = " ORDER BY " + sequence + ", " + globalIndex;
        this.firstPage = select + order;
        this.nextPage = select + " AND (" + sequence + " > ? OR (" + sequence + " = ? AND " + globalIndex + " > ?))" + order;
    }

    /**
     * Hands the aggregate's stored rows to {@code row} by sequence number until it answers false or the rows end.
     *
     * @return how many rows were handed over (0 for an unknown aggregate)
     */
    public long read(String aggregateIdentifier, Predicate<StoredEvent> row) {
        long handed = 0;
        long[] last = null;
        while (true) {
            long[] page = {0, 0, 0};
            boolean[] wanted = {true};
            RowCallbackHandler each = rs -> {
                if (wanted[0]) {
                    StoredEvent event = new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getBytes(5), rs.getBytes(6));
                    page[0]++;
                    page[1] = event.sequence();
                    page[2] = rs.getLong(7);
                    wanted[0] = row.test(event);
                }
            };
            if (last == null) {
                paged.query(firstPage, each, aggregateIdentifier);
            } else {
                paged.query(nextPage, each, aggregateIdentifier, last[0], last[0], last[1]);
            }
            handed += page[0];
            if (!wanted[0] || page[0] < paged.getMaxRows()) {
                return handed;
            }
            last = new long[]{page[1], page[2]};
        }
    }

    public ChainVerification verify(String aggregateIdentifier) {
        ChainVerifier verifier = new ChainVerifier();
        read(aggregateIdentifier, verifier::accept);
        return verifier.result();
    }
}
