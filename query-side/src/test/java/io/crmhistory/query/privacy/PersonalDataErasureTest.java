package io.crmhistory.query.privacy;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;
import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import io.crmhistory.platform.privacy.PersonalFields;
import io.crmhistory.query.projection.Events;
import io.crmhistory.platform.testing.TemporaryDataDirectory;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.Projections;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import javax.sql.DataSource;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events written as the command side writes them (personal fields protected with the customer's
 * key) are read in plaintext while the key exists; after an erasure (key destroyed, erasure event
 * recorded) no read shows them and the read models keep no copy.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class PersonalDataErasureTest {

    static final ObjectMapper JSON = ErasureTestSupport.JSON;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("crm.data-dir", TemporaryDataDirectory.create()::toString);
    }

    @LocalServerPort
    int port;
    @Autowired
    EventStore eventStore;
    @Autowired
    PersonalDataProtector protector;
    @Autowired
    MongoTemplate mongo;
    @Autowired
    ProjectionProcessors processors;
    @Autowired
    ProjectionCatalog catalog;
    @Autowired
    DataSource dataSource;
    @Autowired
    PersonalDataViews personalDataViews;

    @Test
    void personalFieldsAreReadableUntilErasedAndGoneFromEveryReadModelAfterwards() throws Exception {
        String id = "erin";
        append(id, 0, new CustomerRegistered(id, protect(id, PersonalFields.NAME, "Erin Erased"),
                protect(id, PersonalFields.EMAIL, "erin@example.com"), protect(id, PersonalFields.PHONE, "+49 30 1234"),
                "DE", "web", Events.at("2025-05-01T00:00:00Z")));
        append(id, 1, new ContactRecorded(id, "c-1", ContactChannel.EMAIL, ContactDirection.INBOUND, "agent-7",
                protect(id, PersonalFields.SUBJECT, "Erin's complaint"), protect(id, PersonalFields.NOTES, "call Erin back"),
                null, Events.at("2025-05-02T00:00:00Z")));

        JsonNode before = awaitJson("/api/customers/" + id + "?minVersion=1");
        assertThat(before.get("name").asText()).isEqualTo("Erin Erased");
        assertThat(before.get("email").asText()).isEqualTo("erin@example.com");
        assertThat(before.get("personalDataErased").asBoolean()).isFalse();
        JsonNode contactBefore = awaitJson("/api/customers/" + id + "/history?types=CONTACT&minVersion=1").get("items").get(0);
        assertThat(contactBefore.get("details").get("notes").asText()).isEqualTo("call Erin back");

        protector.forget(id);
        append(id, 2, new CustomerPersonalDataErased(id, "data subject request", Events.at("2025-06-01T00:00:00Z")));

        JsonNode after = awaitJson("/api/customers/" + id + "?minVersion=2");
        assertThat(after.has("name")).isFalse();
        assertThat(after.has("email")).isFalse();
        assertThat(after.has("phone")).isFalse();
        assertThat(after.get("country").asText()).as("non-personal facts stay").isEqualTo("DE");
        assertThat(after.get("personalDataErased").asBoolean()).isTrue();

        JsonNode history = awaitJson("/api/customers/" + id + "/history?order=asc&minVersion=2");
        List<String> types = new ArrayList<>();
        history.get("items").forEach(item -> types.add(item.get("type").asText()));
        assertThat(types).containsSubsequence("REGISTERED", "CONTACT", "PERSONAL_DATA_ERASED");
        assertThat(history.toString()).doesNotContain("Erin", "erin@example.com", "+49 30 1234", "complaint");
        assertThat(history.toString()).contains("agent-7");

        assertThat(everyReadModelDocument()).doesNotContain("Erin", "erin@example.com", "call Erin back");
        assertThat(get("/api/customers?q=erin").body()).doesNotContain("\"erin\"");

        // Rebuilt from the first event, every read model still shows the fields erased: the events never held
        // plaintext and the key that could reveal them is gone.
        Map<String, Integer> liveBefore = new java.util.HashMap<>();
        for (String projection : Projections.ALL) {
            liveBefore.put(projection, catalog.live(projection));
            catalog.startRebuild(projection, "test");
        }
        processors.reconcile();
        await().atMost(Duration.ofSeconds(60)).until(() -> Projections.ALL.stream()
                .allMatch(projection -> catalog.live(projection) > liveBefore.get(projection)));
        await().atMost(Duration.ofSeconds(30)).until(() -> Projections.ALL.stream().allMatch(this::caughtUp));
        JsonNode rebuilt = awaitJson("/api/customers/" + id + "?minVersion=2");
        assertThat(rebuilt.get("personalDataErased").asBoolean()).isTrue();
        assertThat(rebuilt.has("name")).isFalse();
        assertThat(awaitJson("/api/customers/" + id + "/history?order=asc&minVersion=2").toString())
                .doesNotContain("Erin", "erin@example.com", "+49 30 1234", "complaint");
        assertThat(everyReadModelDocument()).doesNotContain("Erin", "erin@example.com", "call Erin back");

        // And so does the auditors' export of the raw stream, in every format.
        for (String format : List.of("application/json", "application/x-ndjson", "text/csv")) {
            HttpResponse<String> export = get("/api/audit/customers/" + id + "/events", "auditor:auditor-secret", format);
            assertThat(export.statusCode()).isEqualTo(200);
            assertThat(export.body()).as(format).contains("CustomerPersonalDataErased")
                    .doesNotContain("Erin", "erin@example.com", "+49 30 1234", "complaint", "call Erin back");
        }
    }

    /**
     * The command side deletes the key and records the erasure in one transaction; this process keeps its cached
     * copy of the key until a projection handles the erasure event. The auditors' reads must not use that copy.
     */
    @Test
    void anAuditReadAfterTheKeyWasDestroyedElsewhereRevealsNothing() throws Exception {
        String id = "otto";
        append(id, 0, new CustomerRegistered(id, protect(id, PersonalFields.NAME, "Otto Other"),
                protect(id, PersonalFields.EMAIL, "otto@example.com"), null, "AT", "web", Events.at("2025-05-01T00:00:00Z")));
        append(id, 1, new ContactRecorded(id, "c-1", ContactChannel.PHONE, ContactDirection.OUTBOUND, "agent-7",
                protect(id, PersonalFields.SUBJECT, "Otto's renewal"), null, null, Events.at("2025-05-02T00:00:00Z")));
        String export = "/api/audit/customers/" + id + "/events";
        String asOf = "/api/audit/customers/" + id + "/state?asOf=2025-06-01T00:00:00Z&axis=occurred";
        assertThat(get(export, "auditor:auditor-secret", "application/json").body()).contains("Otto Other", "Otto's renewal");
        assertThat(get(asOf, "auditor:auditor-secret", "application/json").body()).contains("Otto Other");

        // as the command side's erasure does, in another process: this one's cache is not told
        new JdbcTemplate(dataSource).update("DELETE FROM customer_keys WHERE customer_id = ?", id);

        assertThat(get(export, "auditor:auditor-secret", "application/json").body()).contains("\"customerId\":\"otto\"")
                .doesNotContain("Otto Other", "otto@example.com", "Otto's renewal");
        assertThat(get(asOf, "auditor:auditor-secret", "application/json").body()).contains("\"country\":\"AT\"")
                .doesNotContain("Otto Other", "otto@example.com");
    }

    /** At the head of the store (a replay's "replaying" flag stays set until a newer event arrives). */
    private boolean caughtUp(String projection) {
        StreamingEventProcessor processor = processors.live(projection).orElseThrow().processor();
        long head = eventStore.createHeadToken().position().orElse(-1);
        return processor.isRunning() && !processor.processingStatus().isEmpty()
                && processor.processingStatus().values().stream().allMatch(status -> status.getTrackingToken() != null
                && status.getTrackingToken().position().orElse(-1) >= head);
    }

    private String everyReadModelDocument() {
        return ErasureTestSupport.documents(mongo);
    }

    /**
     * The events read models read on their own: the same events with the personal fields they do not use left out,
     * not revealed and not the ciphertext (all of them for value and segment, a contact's words for the directory);
     * the store's own readers still see them revealed.
     */
    @Test
    void eachReadModelsOwnViewLeavesOutThePersonalFieldsItDoesNotUse() throws Exception {
        String id = "cora";
        append(id, 0, new CustomerRegistered(id, protect(id, PersonalFields.NAME, "Cora Concealed"),
                protect(id, PersonalFields.EMAIL, "cora@example.com"), protect(id, PersonalFields.PHONE, "+43 1 555"),
                "AT", "web", Events.at("2025-05-01T00:00:00Z")));
        append(id, 1, new ContactRecorded(id, "c-1", ContactChannel.EMAIL, ContactDirection.INBOUND, "agent-9",
                protect(id, PersonalFields.SUBJECT, "Cora's order"), protect(id, PersonalFields.NOTES, "ring Cora"),
                protect(id, PersonalFields.OUTCOME, "Cora happy"), Events.at("2025-05-02T00:00:00Z")));

        List<Object> concealed = customerEvents(personalDataViews.source(PersonalDataUse.NONE).orElseThrow(), id);
        assertThat(concealed).hasSize(2);
        CustomerRegistered registered = (CustomerRegistered) concealed.get(0);
        assertThat(registered.name()).isNull();
        assertThat(registered.email()).isNull();
        assertThat(registered.phone()).isNull();
        assertThat(registered.country()).isEqualTo("AT");
        assertWordsLeftOut((ContactRecorded) concealed.get(1));

        // The directory's view: the profile revealed, a contact's words left out unread.
        List<Object> profile = customerEvents(personalDataViews.source(PersonalDataUse.PROFILE).orElseThrow(), id);
        assertThat(profile).hasSize(2);
        CustomerRegistered profileRegistered = (CustomerRegistered) profile.get(0);
        assertThat(profileRegistered.name()).isEqualTo("Cora Concealed");
        assertThat(profileRegistered.email()).isEqualTo("cora@example.com");
        assertThat(profileRegistered.phone()).isEqualTo("+43 1 555");
        assertWordsLeftOut((ContactRecorded) profile.get(1));
        assertThat(personalDataViews.source(PersonalDataUse.ALL)).as("the application's own store").isEmpty();

        List<Object> revealed = customerEvents(eventStore, id);
        assertThat(((CustomerRegistered) revealed.get(0)).name()).isEqualTo("Cora Concealed");
        assertThat(((ContactRecorded) revealed.get(1)).notes()).isEqualTo("ring Cora");
    }

    /** Cora's contact with its subject, notes and outcome left out, and the rest as recorded. */
    private static void assertWordsLeftOut(ContactRecorded contact) {
        assertThat(contact.subject()).isNull();
        assertThat(contact.notes()).isNull();
        assertThat(contact.outcome()).isNull();
        assertThat(contact.agent()).isEqualTo("agent-9");
        assertThat(contact.occurredAt()).isEqualTo(Events.at("2025-05-02T00:00:00Z"));
    }

    private static List<Object> customerEvents(StreamableMessageSource<TrackedEventMessage<?>> source, String customerId)
            throws InterruptedException {
        List<Object> payloads = new ArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null)) {
            while (stream.hasNextAvailable(1, TimeUnit.SECONDS)) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                if (event instanceof DomainEventMessage<?> domain && customerId.equals(domain.getAggregateIdentifier())) {
                    payloads.add(event.getPayload());
                }
            }
        }
        return payloads;
    }

    private String protect(String customerId, String field, String plaintext) {
        return protector.protect(customerId, field, plaintext);
    }

    private void append(String customerId, long sequence, CustomerEvent event) {
        ErasureTestSupport.append(eventStore, customerId, sequence, event);
    }

    private JsonNode awaitJson(String path) {
        return ErasureTestSupport.awaitJson(port, path);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, "reader:reader-secret", "application/json");
    }

    private HttpResponse<String> get(String path, String credentials, String accept)
            throws IOException, InterruptedException {
        return ErasureTestSupport.get(port, path, credentials, accept);
    }
}
