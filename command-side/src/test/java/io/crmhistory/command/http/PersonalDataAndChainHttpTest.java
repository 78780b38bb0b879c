package io.crmhistory.command.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.platform.audit.CanonicalJson;
import io.crmhistory.platform.audit.ChainVerification;
import io.crmhistory.platform.audit.EventHashChain;
import io.crmhistory.platform.audit.JdbcEventChains;
import io.crmhistory.platform.audit.StoredEvent;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import io.crmhistory.platform.privacy.PersonalFields;
import io.crmhistory.platform.testing.TemporaryDataDirectory;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure over HTTP and the hash chain as stored: the chain the aggregate computed is recomputed
 * from the raw {@code DomainEventEntry} rows over JDBC, and tampering with those rows is found.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "crm.clock.fixed=2026-01-01T00:00:00Z",
        "crm.security.users.writer.password=writer-pw",
        "crm.security.users.writer.roles=writer",
        "crm.security.users.ops.password=ops-pw",
        "crm.security.users.ops.roles=ops",
        "crm.security.bcrypt-strength=4",
        "crm.snapshot.threshold=3"})
class PersonalDataAndChainHttpTest {

    static final Path DATA_DIR = TemporaryDataDirectory.create();

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("crm.data-dir", DATA_DIR::toString);
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    ObjectMapper json;
    @Autowired
    EventStore eventStore;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JdbcEventChains chains;
    @Autowired
    PersonalDataProtector protector;

    record Answer(int status, JsonNode body) {
        String field() {
            return body.path("errors").path(0).path("field").asText();
        }
    }

    Answer call(HttpMethod method, String path, String body, String user) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setBasicAuth(user, user + "-pw");
        ResponseEntity<String> response = http.exchange(path, method, new HttpEntity<>(body, headers), String.class);
        try {
            return new Answer(response.getStatusCode().value(),
                    response.getBody() == null ? json.nullNode() : json.readTree(response.getBody()));
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    Answer erase(String customerId, String body) {
        return call(HttpMethod.DELETE, "/api/customers/" + customerId + "/personal-data", body, "ops");
    }

    String register(String email) {
        String id = "c-" + UUID.randomUUID();
        Answer answer = call(HttpMethod.POST, "/api/customers", "{\"customerId\":\"" + id + "\",\"name\":\"Ada Lovelace\","
                + "\"email\":\"" + email + "\",\"phone\":\"+44 20 7946 0000\",\"country\":\"GB\"}", "writer");
        assertThat(answer.status()).isEqualTo(201);
        return id;
    }

    void contact(String customerId, String contactId, String notes) {
        Answer answer = call(HttpMethod.POST, "/api/customers/" + customerId + "/contacts", "{\"contactId\":\"" + contactId
                + "\",\"channel\":\"PHONE\",\"direction\":\"INBOUND\",\"occurredAt\":\"2025-12-24T18:00:00+01:00\","
                + "\"agent\":\"agent-7\",\"subject\":\"delivery\",\"notes\":\"" + notes + "\",\"outcome\":\"resolved\"}", "writer");
        assertThat(answer.status()).isEqualTo(201);
    }

    void purchase(String customerId, String orderId) {
        Answer answer = call(HttpMethod.POST, "/api/customers/" + customerId + "/purchases", "{\"orderId\":\"" + orderId
                + "\",\"occurredAt\":\"2025-12-24T18:05:00+01:00\",\"amount\":{\"value\":\"149.90\",\"currency\":\"EUR\"}}", "writer");
        assertThat(answer.status()).isEqualTo(201);
    }

    List<DomainEventMessage<?>> eventsOf(String customerId) {
        return eventStore.readEvents(customerId, 0).asStream().<DomainEventMessage<?>>map(e -> e).toList();
    }

    @Test
    void personalFieldsAreStoredEncryptedAndTheRestStaysReadable() {
        String id = register("ada.stored@example.com");
        contact(id, "k-1", "parcel late");

        String stored = String.join("\n", jdbc.query("SELECT payload FROM DomainEventEntry WHERE aggregateIdentifier = ?",
                (rs, i) -> new String(rs.getBytes(1), StandardCharsets.UTF_8), id));
        assertThat(stored).doesNotContain("Ada", "ada.stored", "7946", "parcel late", "delivery", "resolved")
                .contains("pd:v1:", "\"country\":\"GB\"", "\"agent\":\"agent-7\"", "\"channel\":\"PHONE\"");

        CustomerRegistered registered = (CustomerRegistered) eventsOf(id).get(0).getPayload();
        assertThat(protector.reveal(id, PersonalFields.NAME, registered.name())).contains("Ada Lovelace");
        assertThat(protector.reveal(id, PersonalFields.EMAIL, registered.email())).contains("ada.stored@example.com");
        ContactRecorded contact = (ContactRecorded) eventsOf(id).get(1).getPayload();
        assertThat(protector.reveal(id, PersonalFields.NOTES, contact.notes())).contains("parcel late");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_keys WHERE customer_id = ?", Integer.class, id)).isOne();
    }

    @Test
    void erasureRecordsTheEventDestroysTheKeyAndFreesTheEmail() {
        String id = register("ada.erased@example.com");
        contact(id, "k-1", "parcel late");

        Answer erased = erase(id, "{\"reason\":\"GDPR request 2026-17\"}");

        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.body().path("recorded").asBoolean()).isTrue();
        assertThat(erased.body().path("version").asLong()).isEqualTo(2);
        List<DomainEventMessage<?>> events = eventsOf(id);
        assertThat(events.get(2).getPayload()).isEqualTo(new CustomerPersonalDataErased(id, "GDPR request 2026-17",
                java.time.OffsetDateTime.parse("2026-01-01T00:00:00Z")));
        assertThat(events.get(2).getMetaData()).containsEntry("principal", "ops");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_keys WHERE customer_id = ?", Integer.class, id)).isZero();
        CustomerRegistered registered = (CustomerRegistered) events.get(0).getPayload();
        assertThat(protector.reveal(id, PersonalFields.NAME, registered.name())).isEmpty();

        // someone else may now use the address
        register("ada.erased@example.com");
        // the chain still holds: it covers the ciphertext, which erasure does not touch
        assertThat(chains.verify(id).valid()).isTrue();
    }

    @Test
    void erasingTwiceIsAnIdempotentSuccessThatRecordsNothing() {
        String id = register("ada.twice@example.com");
        erase(id, "{\"reason\":\"request\"}");

        Answer again = erase(id, "{\"reason\":\"request\"}");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("recorded").asBoolean()).isFalse();
        assertThat(again.body().path("version").asLong()).isEqualTo(1);
        assertThat(eventsOf(id)).hasSize(2);
    }

    @Test
    void erasureNeedsTheOpsRoleAReasonAndAKnownCustomer() {
        String id = register("ada.rules@example.com");

        assertThat(call(HttpMethod.DELETE, "/api/customers/" + id + "/personal-data", "{\"reason\":\"x\"}", "writer").status())
                .isEqualTo(403);
        Answer blank = erase(id, "{\"reason\":\"  \"}");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.field()).isEqualTo("reason");
        Answer missing = erase(id, "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.field()).isEqualTo("reason");
        Answer unknown = erase("c-nobody", "{\"reason\":\"x\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.field()).isEqualTo("customerId");
    }

    @Test
    void afterErasureNewPersonalDataIsRefusedButTheBusinessGoesOn() {
        String id = register("ada.after@example.com");
        erase(id, "{\"reason\":\"request\"}");

        Answer rename = call(HttpMethod.PATCH, "/api/customers/" + id, "{\"name\":\"Ada King\"}", "writer");
        assertThat(rename.status()).isEqualTo(409);
        assertThat(rename.field()).isEqualTo("name");
        Answer notes = call(HttpMethod.POST, "/api/customers/" + id + "/contacts", "{\"channel\":\"PHONE\","
                + "\"direction\":\"INBOUND\",\"occurredAt\":\"2025-12-24T18:00:00+01:00\",\"notes\":\"called back\"}", "writer");
        assertThat(notes.status()).isEqualTo(409);
        assertThat(notes.field()).isEqualTo("notes");

        assertThat(call(HttpMethod.PATCH, "/api/customers/" + id, "{\"country\":\"FR\"}", "writer").status()).isEqualTo(200);
        assertThat(call(HttpMethod.POST, "/api/customers/" + id + "/contacts", "{\"channel\":\"PHONE\","
                + "\"direction\":\"OUTBOUND\",\"occurredAt\":\"2025-12-24T18:00:00+01:00\",\"agent\":\"agent-7\"}", "writer").status())
                .isEqualTo(201);
        purchase(id, "o-1");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_keys WHERE customer_id = ?", Integer.class, id))
                .as("no key is created again").isZero();
    }

    @Test
    void anEmailConflictDoesNotEchoTheAddress() {
        register("ada.taken@example.com");
        Answer taken = call(HttpMethod.POST, "/api/customers", "{\"name\":\"Other\",\"email\":\"ada.taken@example.com\"}", "writer");

        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.field()).isEqualTo("email");
        assertThat(taken.body().toString()).doesNotContain("ada.taken");
        Answer invalid = call(HttpMethod.POST, "/api/customers", "{\"name\":\"Other\",\"email\":\"not-an-address\"}", "writer");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body().toString()).doesNotContain("not-an-address");
    }

    @Test
    void theChainTheAggregateWroteIsRecomputedFromTheRawRows() {
        // long enough to pass through snapshots (threshold 3): the chain continues from the snapshot's last hash
        String id = register("ada.chain@example.com");
        contact(id, "k-1", "parcel late");
        purchase(id, "o-1");
        purchase(id, "o-2");
        contact(id, "k-2", "thanks");
        call(HttpMethod.POST, "/api/customers/" + id + "/purchases/o-1/refunds",
                "{\"refundId\":\"r-1\",\"amount\":{\"value\":\"10.05\",\"currency\":\"EUR\"},\"occurredAt\":\"2025-12-28T10:00:00+01:00\"}",
                "writer");

        List<StoredEvent> rows = new ArrayList<>();
        chains.read(id, rows::add);
        ChainVerification verification = chains.verify(id);

        assertThat(rows).hasSize(7);
        assertThat(verification.valid()).as(verification.toString()).isTrue();
        assertThat(verification.events()).isEqualTo(7);
        String previous = null;
        for (StoredEvent row : rows) {
            JsonNode metadata = CanonicalJson.parse(row.metadata());
            JsonNode payload = CanonicalJson.parse(row.payload());
            String expected = EventHashChain.next(previous, row.sequence(), row.type(), row.revision(), payload,
                    payload.path("occurredAt").asText());
            assertThat(metadata.path("hash").asText()).isEqualTo(expected);
            assertThat(metadata.path("previousHash").isMissingNode()).isEqualTo(previous == null);
            previous = expected;
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM SnapshotEventEntry WHERE aggregateIdentifier = ?", Integer.class, id))
                .isPositive();
    }

    @Test
    void aChangedPayloadIsFoundInTheTable() {
        String id = chainOfFour();
        jdbc.update("UPDATE DomainEventEntry SET payload = ? WHERE aggregateIdentifier = ? AND sequenceNumber = 1",
                payloadOf(id, 1).replace("149.90", "1.90").getBytes(StandardCharsets.UTF_8), id);

        assertInvalidAt(id, 1);
    }

    @Test
    void aChangedHashIsFoundInTheTable() {
        String id = chainOfFour();
        String metadata = new String(jdbc.queryForObject("SELECT metaData FROM DomainEventEntry WHERE aggregateIdentifier = ? "
                + "AND sequenceNumber = 2", byte[].class, id), StandardCharsets.UTF_8);
        String hash = CanonicalJson.parse(metadata.getBytes(StandardCharsets.UTF_8)).path("hash").asText();
        jdbc.update("UPDATE DomainEventEntry SET metaData = ? WHERE aggregateIdentifier = ? AND sequenceNumber = 2",
                metadata.replace(hash, "f".repeat(64)).getBytes(StandardCharsets.UTF_8), id);

        assertInvalidAt(id, 2);
    }

    @Test
    void aDeletedRowIsFoundInTheTable() {
        String id = chainOfFour();
        jdbc.update("DELETE FROM DomainEventEntry WHERE aggregateIdentifier = ? AND sequenceNumber = 1", id);

        assertInvalidAt(id, 1);
    }

    @Test
    void reorderedRowsAreFoundInTheTable() {
        String id = chainOfFour();
        // rows 1 and 2 swap their places in the customer's sequence
        jdbc.update("UPDATE DomainEventEntry SET sequenceNumber = -1 WHERE aggregateIdentifier = ? AND sequenceNumber = 1", id);
        jdbc.update("UPDATE DomainEventEntry SET sequenceNumber = 1 WHERE aggregateIdentifier = ? AND sequenceNumber = 2", id);
        jdbc.update("UPDATE DomainEventEntry SET sequenceNumber = 2 WHERE aggregateIdentifier = ? AND sequenceNumber = -1", id);

        assertInvalidAt(id, 1);
    }

    private String chainOfFour() {
        String id = register("ada." + UUID.randomUUID() + "@example.com");
        purchase(id, "o-1");
        contact(id, "k-1", "parcel late");
        assertThat(chains.verify(id)).satisfies(v -> {
            assertThat(v.valid()).isTrue();
            assertThat(v.events()).isEqualTo(4);
        });
        return id;
    }

    private String payloadOf(String id, long sequence) {
        return new String(jdbc.queryForObject("SELECT payload FROM DomainEventEntry WHERE aggregateIdentifier = ? "
                + "AND sequenceNumber = ?", byte[].class, id, sequence), StandardCharsets.UTF_8);
    }

    private void assertInvalidAt(String id, long sequence) {
        ChainVerification verification = chains.verify(id);
        assertThat(verification.valid()).isFalse();
        assertThat(verification.firstInvalidSequence()).isEqualTo(sequence);
    }
}
