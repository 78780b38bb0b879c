package io.crmhistory.platform.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The chain over rows as stored: valid as written, and every kind of tampering found at its row. */
class ChainVerifierTest {

    @Revision("1")
    record Happened(String customerId, String note, BigDecimal amount, int count, OffsetDateTime occurredAt) {
    }

    private static final ObjectMapper mapper = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final EventHashChain chain = new EventHashChain(mapper);

    /** A customer's chain of {@code events} rows as the store holds them. */
    static List<StoredEvent> stream(int events) throws Exception {
        List<StoredEvent> rows = new ArrayList<>();
        String previous = null;
        for (int sequence = 0; sequence < events; sequence++) {
            Happened event = new Happened("c-1", "pd:v1:abc" + sequence, new BigDecimal("10.50"), sequence,
                    OffsetDateTime.parse("2025-12-24T18:00:00+01:00").plusHours(sequence));
            String hash = chain.hashOf(previous, sequence, event);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("principal", "writer");
            metadata.put(EventHashChain.HASH, hash);
            if (previous != null) {
                metadata.put(EventHashChain.PREVIOUS_HASH, previous);
            }
            rows.add(new StoredEvent(sequence, Happened.class.getName(), "1", mapper.writeValueAsBytes(event),
                    mapper.writeValueAsBytes(metadata)));
            previous = hash;
        }
        return rows;
    }

    /** The hash does not cover the aggregate id column: a stream moved to another id must still be found out. */
    @Test
    void aStreamMovedToAnotherCustomersIdIsBrokenAtItsFirstEvent() throws Exception {
        List<StoredEvent> rows = stream(3);

        assertThat(ChainVerifier.verify(rows, "customerId", "c-1").valid()).isTrue();
        ChainVerification moved = ChainVerifier.verify(rows, "customerId", "c-2");

        assertThat(moved.valid()).isFalse();
        assertThat(moved.firstInvalidSequence()).isZero();
        assertThat(moved.reason()).contains("'c-1'", "'c-2'");
    }

    @Test
    void aRowOfAnotherAggregateTypeBreaksTheChainWhereTheTypeIsNamed() throws Exception {
        List<StoredEvent> rows = new ArrayList<>();
        for (StoredEvent row : stream(3)) {
            rows.add(new StoredEvent(row.sequence(), row.sequence() == 1 ? "Tampered" : "Customer", row.type(),
                    row.revision(), row.payload(), row.metadata()));
        }

        assertThat(ChainVerifier.verify(rows, "customerId", "c-1").valid()).as("the type not named").isTrue();
        ChainVerification result = ChainVerifier.verify(rows, "Customer", "customerId", "c-1");
        assertThat(result.valid()).isFalse();
        assertThat(result.firstInvalidSequence()).isEqualTo(1);
        assertThat(result.events()).isEqualTo(1);
    }

    /** Axon's schema allows an emptied aggregate-type column; the audit's reads would then not find the customer. */
    @Test
    void aRowWithoutAnAggregateTypeBreaksTheChainWhereTheTypeIsNamed() throws Exception {
        List<StoredEvent> rows = new ArrayList<>();
        for (StoredEvent row : stream(3)) {
            rows.add(new StoredEvent(row.sequence(), row.sequence() == 0 ? null : "Customer", row.type(),
                    row.revision(), row.payload(), row.metadata()));
        }

        ChainVerification result = ChainVerifier.verify(rows, "Customer", "customerId", "c-1");

        assertThat(result.valid()).isFalse();
        assertThat(result.firstInvalidSequence()).isZero();
        assertThat(result.reason()).contains("no aggregate type");
    }

    @Test
    void aStreamAsWrittenIsValid() throws Exception {
        List<StoredEvent> rows = stream(4);

        ChainVerification result = ChainVerifier.verify(rows);

        assertThat(result.valid()).isTrue();
        assertThat(result.events()).isEqualTo(4);
        assertThat(result.headHash()).isEqualTo(CanonicalJson.parse(rows.get(3).metadata()).get("hash").asText());
        assertThat(ChainVerifier.verify(List.of()).valid()).isTrue();
    }

    @Test
    void theCanonicalFormIgnoresKeyOrderAndWhitespaceButNotValues() {
        String a = CanonicalJson.of(CanonicalJson.parse("{\"b\": 1, \"a\": {\"y\": \"x\", \"x\": [1.50, true, null]}}".getBytes()));
        String b = CanonicalJson.of(CanonicalJson.parse("{\"a\":{\"x\":[1.50,true,null],\"y\":\"x\"},\"b\":1}".getBytes()));

        assertThat(a).isEqualTo(b).isEqualTo("{\"a\":{\"x\":[1.50,true,null],\"y\":\"x\"},\"b\":1}");
        assertThat(CanonicalJson.of(CanonicalJson.parse("{\"v\":1.5}".getBytes()))).isNotEqualTo(
                CanonicalJson.of(CanonicalJson.parse("{\"v\":1.50}".getBytes())));
    }

    @Test
    void aChangedPayloadIsFoundAtItsRow() throws Exception {
        List<StoredEvent> rows = new ArrayList<>(stream(4));
        StoredEvent row = rows.get(2);
        byte[] payload = new String(row.payload(), StandardCharsets.UTF_8).replace("10.50", "1.50").getBytes(StandardCharsets.UTF_8);
        rows.set(2, new StoredEvent(2, row.type(), row.revision(), payload, row.metadata()));

        ChainVerification result = ChainVerifier.verify(rows);

        assertThat(result.valid()).isFalse();
        assertThat(result.firstInvalidSequence()).isEqualTo(2);
        assertThat(result.events()).isEqualTo(2);
    }

    @Test
    void aChangedTypeOrRevisionIsFound() throws Exception {
        List<StoredEvent> rows = new ArrayList<>(stream(2));
        StoredEvent row = rows.get(1);
        rows.set(1, new StoredEvent(1, row.type(), "2", row.payload(), row.metadata()));

        assertThat(ChainVerifier.verify(rows).firstInvalidSequence()).isEqualTo(1);
    }

    @Test
    void aRewrittenHashIsFoundEvenWhenItMatchesTheChangedPayloadButNotTheNextLink() throws Exception {
        List<StoredEvent> rows = new ArrayList<>(stream(3));
        StoredEvent row = rows.get(1);
        String metadata = new String(row.metadata(), StandardCharsets.UTF_8);
        String hash = CanonicalJson.parse(row.metadata()).get("hash").asText();
        rows.set(1, new StoredEvent(1, row.type(), row.revision(), row.payload(),
                metadata.replace(hash, "0".repeat(64)).getBytes(StandardCharsets.UTF_8)));

        assertThat(ChainVerifier.verify(rows).firstInvalidSequence()).isEqualTo(1);
    }

    @Test
    void aDeletedRowIsFound() throws Exception {
        List<StoredEvent> rows = new ArrayList<>(stream(4));
        rows.remove(1);

        ChainVerification result = ChainVerifier.verify(rows);

        assertThat(result.valid()).isFalse();
        assertThat(result.firstInvalidSequence()).isEqualTo(1);
        assertThat(result.reason()).contains("missing");
    }

    @Test
    void aDeletedLastRowIsNotVisibleInTheChainAlone() throws Exception {
        // documented limit: truncating the end leaves a valid, shorter chain; only an anchored head hash shows it
        List<StoredEvent> rows = new ArrayList<>(stream(4));
        rows.remove(3);

        assertThat(ChainVerifier.verify(rows).valid()).isTrue();
    }

    @Test
    void swappedRowsAreFound() throws Exception {
        List<StoredEvent> rows = stream(4);
        // renumbered: row 1 and row 2 exchange their sequence numbers (and so their places)
        List<StoredEvent> swapped = new ArrayList<>(List.of(rows.get(0),
                renumbered(rows.get(2), 1), renumbered(rows.get(1), 2), rows.get(3)));

        ChainVerification result = ChainVerifier.verify(swapped);

        assertThat(result.valid()).isFalse();
        assertThat(result.firstInvalidSequence()).isEqualTo(1);
    }

    @Test
    void rowsOutOfOrderAreFound() throws Exception {
        List<StoredEvent> rows = stream(3);

        ChainVerification result = ChainVerifier.verify(List.of(rows.get(0), rows.get(2), rows.get(1)));

        assertThat(result.valid()).isFalse();
        assertThat(result.firstInvalidSequence()).isEqualTo(1);
    }

    private static StoredEvent renumbered(StoredEvent row, long sequence) {
        return new StoredEvent(sequence, row.type(), row.revision(), row.payload(), row.metadata());
    }
}
