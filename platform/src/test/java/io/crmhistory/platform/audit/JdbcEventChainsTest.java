package io.crmhistory.platform.audit;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A stream read from the event table a page at a time: every row once, in order, and no further than needed. */
class JdbcEventChainsTest {

    private static final int PAGE = 3;

    private final EventSchema schema = EventSchema.builder().build();
    private JdbcTemplate jdbc;
    private JdbcEventChains chains;

    @BeforeEach
    void table() {
        jdbc = new JdbcTemplate(new SimpleDriverDataSource(new org.h2.Driver(),
                "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
        jdbc.execute("CREATE TABLE " + schema.domainEventTable() + " (" + schema.aggregateIdentifierColumn()
                + " VARCHAR(255) NOT NULL, " + schema.sequenceNumberColumn() + " BIGINT NOT NULL, " + schema.typeColumn()
                + " VARCHAR(255), " + schema.payloadTypeColumn() + " VARCHAR(255) NOT NULL, "
                + schema.payloadRevisionColumn() + " VARCHAR(255), " + schema.payloadColumn() + " BLOB NOT NULL, "
                + schema.metaDataColumn() + " BLOB, PRIMARY KEY (" + schema.aggregateIdentifierColumn() + ", "
                + schema.sequenceNumberColumn() + "))");
        chains = new JdbcEventChains(jdbc, schema, PAGE);
    }

    @Test
    void aStreamLongerThanAPageIsVerifiedWhole() throws Exception {
        store("c-1", ChainVerifierTest.stream(3 * PAGE + 1));
        store("c-2", ChainVerifierTest.stream(2));

        ChainVerification verification = chains.verify("c-1");

        assertThat(verification.valid()).as(verification.toString()).isTrue();
        assertThat(verification.events()).isEqualTo(3 * PAGE + 1);
        List<Long> sequences = new ArrayList<>();
        assertThat(chains.read("c-1", row -> sequences.add(row.sequence()))).isEqualTo(3 * PAGE + 1);
        assertThat(sequences).isSorted().doesNotHaveDuplicates().hasSize(3 * PAGE + 1);
    }

    @Test
    void exactlyFullPagesEndWithAnEmptyOne() throws Exception {
        store("c-1", ChainVerifierTest.stream(2 * PAGE));

        assertThat(chains.verify("c-1").events()).isEqualTo(2 * PAGE);
    }

    @Test
    void readingStopsWhereTheReaderDoes() throws Exception {
        store("c-1", ChainVerifierTest.stream(3 * PAGE));
        List<StoredEvent> seen = new ArrayList<>();

        long handed = chains.read("c-1", row -> seen.add(row) && seen.size() < PAGE + 1);

        assertThat(handed).isEqualTo(PAGE + 1);
        assertThat(seen).hasSize(PAGE + 1);
    }

    @Test
    void aBreakInALaterPageIsFoundThere() throws Exception {
        List<StoredEvent> rows = new ArrayList<>(ChainVerifierTest.stream(3 * PAGE));
        StoredEvent tampered = rows.get(2 * PAGE);
        rows.set(2 * PAGE, new StoredEvent(tampered.sequence(), tampered.type(), tampered.revision(),
                new String(tampered.payload(), StandardCharsets.UTF_8).replace("10.50", "1.50").getBytes(StandardCharsets.UTF_8), tampered.metadata()));
        store("c-1", rows);

        ChainVerification verification = chains.verify("c-1");

        assertThat(verification.valid()).isFalse();
        assertThat(verification.firstInvalidSequence()).isEqualTo(2L * PAGE);
        assertThat(verification.events()).isEqualTo(2L * PAGE);
    }

    /** A row renumbered below zero sorts first; reading from the lowest sequence finds it rather than skipping it. */
    @Test
    void aRowRenumberedBelowZeroIsReadAndFound() throws Exception {
        List<StoredEvent> rows = new ArrayList<>(ChainVerifierTest.stream(PAGE + 2));
        StoredEvent moved = rows.get(1);
        rows.set(1, new StoredEvent(-1, moved.type(), moved.revision(), moved.payload(), moved.metadata()));
        store("c-1", rows);

        ChainVerification verification = chains.verify("c-1");

        assertThat(verification.valid()).isFalse();
        assertThat(verification.firstInvalidSequence()).isEqualTo(0L);
        assertThat(chains.read("c-1", row -> true)).isEqualTo(PAGE + 2);
    }

    @Test
    void anUnknownAggregateHasNoRows() {
        assertThat(chains.read("nobody", row -> true)).isZero();
        assertThat(chains.verify("nobody").valid()).isTrue();
    }

    private void store(String aggregateId, List<StoredEvent> rows) {
        for (StoredEvent row : rows) {
            jdbc.update("INSERT INTO " + schema.domainEventTable() + " (" + schema.aggregateIdentifierColumn() + ", "
                            + schema.sequenceNumberColumn() + ", " + schema.typeColumn() + ", " + schema.payloadTypeColumn()
                            + ", " + schema.payloadRevisionColumn() + ", " + schema.payloadColumn() + ", "
                            + schema.metaDataColumn() + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                    aggregateId, row.sequence(), "Customer", row.type(), row.revision(), row.payload(), row.metadata());
        }
    }
}
