package io.crmhistory.query.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;
import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.api.money.Money;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import io.crmhistory.platform.privacy.PersonalFields;
import io.crmhistory.platform.testing.TemporaryDataDirectory;
import io.crmhistory.query.projection.Events;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An erasure of a customer whose earlier event every projection dead-lettered is queued behind that letter, unhandled
 * until ops retry the sequence; the personal data must not stay readable meanwhile. Its own context: the poison
 * event it leaves in the store would hold back any rebuild another test starts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ErasureBehindDeadLettersTest {

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
    DataSource dataSource;

    @Test
    void anErasureHeldBehindTheCustomersDeadLettersScrubsTheReadModelsAtOnce() throws Exception {
        String id = "dora";
        append(id, 0, new CustomerRegistered(id, protector.protect(id, PersonalFields.NAME, "Dora Dead-Lettered"),
                protector.protect(id, PersonalFields.EMAIL, "dora@example.com"),
                protector.protect(id, PersonalFields.PHONE, "+49 40 9876"), "DE", "web", Events.at("2025-05-01T00:00:00Z")));
        append(id, 1, new ContactRecorded(id, "c-1", ContactChannel.EMAIL, ContactDirection.INBOUND, "agent-3",
                protector.protect(id, PersonalFields.SUBJECT, "Dora's parcel"),
                protector.protect(id, PersonalFields.NOTES, "call Dora back"), null, Events.at("2025-05-02T00:00:00Z")));
        assertThat(awaitJson("/api/customers/" + id + "?minVersion=1").get("name").asText()).isEqualTo("Dora Dead-Lettered");
        assertThat(awaitJson("/api/customers/" + id + "/history?minVersion=1").toString()).contains("call Dora back");

        // A purchase no read model can add up (recorded before amounts like it were refused at the door): every
        // projection dead-letters it.
        append(id, 2, new PurchaseRecorded(id, "o-1", Money.of("1E+2147483647", "EUR"), List.of(), null,
                Events.at("2025-05-03T00:00:00Z")));
        append(id, 3, new ContactRecorded(id, "c-2", ContactChannel.PHONE, ContactDirection.OUTBOUND, "agent-3",
                null, null, null, Events.at("2025-05-04T00:00:00Z")));
        await().atMost(Duration.ofSeconds(30)).until(() -> lettersOf(id, "directory") == 2);

        protector.forget(id); // as the command side's erasure destroys the key
        append(id, 4, new CustomerPersonalDataErased(id, "data subject request", Events.at("2025-06-01T00:00:00Z")));

        await().atMost(Duration.ofSeconds(30)).until(() -> awaitJson("/api/customers/" + id)
                .path("personalDataErased").asBoolean());
        JsonNode customer = awaitJson("/api/customers/" + id);
        assertThat(customer.has("name")).isFalse();
        assertThat(customer.has("email")).isFalse();
        assertThat(customer.has("phone")).isFalse();
        assertThat(customer.get("country").asText()).isEqualTo("DE");
        await().atMost(Duration.ofSeconds(30)).until(() -> !get("/api/customers/" + id + "/history", "reader:reader-secret")
                .body().contains("call Dora back"));
        assertThat(get("/api/customers/" + id + "/history", "reader:reader-secret").body())
                .doesNotContain("Dora", "dora@example.com", "+49 40 9876", "parcel");
        assertThat(get("/api/customers?q=dora", "reader:reader-secret").body()).doesNotContain("\"dora\"");
        assertThat(readModelDocuments()).doesNotContain("Dora Dead-Lettered", "dora@example.com", "call Dora back");
        assertThat(lettersOf(id, "directory")).as("the erasure waits behind the letter, to be applied in order")
                .isEqualTo(3);
    }

    /**
     * The same within one batch: the customer's events before the letter are applied and written at the batch's end,
     * after the erasure held behind the letter scrubbed the read models; they must not bring the data back. (The key
     * is gone from the database, as the command side's erasure leaves it, but this process still has it cached, as it
     * does until it projects the erasure.)
     */
    @Test
    void anErasureHeldBehindALetterOfTheSameBatchIsNotUndoneByTheBatchsWrites() throws Exception {
        String id = "ella";
        append(id, 0, new CustomerRegistered(id, protector.protect(id, PersonalFields.NAME, "Ella Same-Batch"),
                protector.protect(id, PersonalFields.EMAIL, "ella@example.com"), null, "AT", "web",
                Events.at("2025-05-01T00:00:00Z")));
        assertThat(awaitJson("/api/customers/" + id + "?minVersion=0").get("name").asText()).isEqualTo("Ella Same-Batch");
        List<CustomerEvent> events = List.of(
                new ContactRecorded(id, "c-1", ContactChannel.EMAIL, ContactDirection.INBOUND, "agent-3",
                        protector.protect(id, PersonalFields.SUBJECT, "Ella's refund"),
                        protector.protect(id, PersonalFields.NOTES, "write to Ella"), null, Events.at("2025-05-02T00:00:00Z")),
                new PurchaseRecorded(id, "o-1", Money.of("1E+2147483647", "EUR"), List.of(), null,
                        Events.at("2025-05-03T00:00:00Z")),
                new CustomerPersonalDataErased(id, "data subject request", Events.at("2025-06-01T00:00:00Z")));
        new JdbcTemplate(dataSource).update("DELETE FROM customer_keys WHERE customer_id = ?", id);
        List<GenericDomainEventMessage<?>> messages = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            messages.add(new GenericDomainEventMessage<>("Customer", id, i + 1, events.get(i),
                    Map.of("principal", "test", "source", "api")));
        }
        eventStore.publish(messages); // one commit: the projections read the three in one batch

        await().atMost(Duration.ofSeconds(30)).until(() -> lettersOf(id, "history") == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> !readModelDocuments().contains("Ella"));
        assertThat(readModelDocuments()).doesNotContain("Ella Same-Batch", "ella@example.com", "write to Ella");
        assertThat(awaitJson("/api/customers/" + id).has("name")).isFalse();
    }

    /** The letters of the customer's sequence in the projection's live version's queue. */
    private long lettersOf(String customerId, String projection) throws IOException, InterruptedException {
        for (JsonNode sequence : JSON.readTree(get("/api/ops/projections/" + projection + "/dead-letters",
                "ops:ops-secret").body()).path("items")) {
            if (sequence.path("sequenceId").asText().equals(customerId)) {
                return sequence.path("letters").size();
            }
        }
        return 0;
    }

    /** The read models' collections (not Axon's dead letters, which hold events as the projection saw them). */
    private String readModelDocuments() {
        return ErasureTestSupport.documents(mongo, "deadletters");
    }

    private void append(String customerId, long sequence, CustomerEvent event) {
        ErasureTestSupport.append(eventStore, customerId, sequence, event);
    }

    private JsonNode awaitJson(String path) {
        return ErasureTestSupport.awaitJson(port, path);
    }

    private HttpResponse<String> get(String path, String credentials) throws IOException, InterruptedException {
        return ErasureTestSupport.get(port, path, credentials, "application/json");
    }
}
