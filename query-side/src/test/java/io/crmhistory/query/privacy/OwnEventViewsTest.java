package io.crmhistory.query.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;
import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import io.crmhistory.platform.privacy.PersonalFields;
import io.crmhistory.platform.testing.TemporaryDataDirectory;
import io.crmhistory.query.projection.Events;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every processor reading on its own, as a rebuild does (no shared window): each read model reads its own view of the
 * events, and each still shows what it uses. The directory reads with only the profile revealed, so it lists the
 * name and email; the history reads everything revealed, so it shows the contact's words; the value reads with no
 * personal field and counts the contact.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "crm.projections.shared-window=0")
@ActiveProfiles("test")
class OwnEventViewsTest {

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

    @Test
    void eachReadModelShowsThePersonalFieldsItUsesFromItsOwnView() {
        String id = "olga";
        ErasureTestSupport.append(eventStore, id, 0, new CustomerRegistered(id,
                protector.protect(id, PersonalFields.NAME, "Olga Own"),
                protector.protect(id, PersonalFields.EMAIL, "olga@example.com"), null, "DE", "web",
                Events.at("2025-05-01T00:00:00Z")));
        ErasureTestSupport.append(eventStore, id, 1, new ContactRecorded(id, "c-1", ContactChannel.PHONE,
                ContactDirection.INBOUND, "agent-3", protector.protect(id, PersonalFields.SUBJECT, "Olga's parcel"),
                protector.protect(id, PersonalFields.NOTES, "call Olga back"), null, Events.at("2025-05-02T00:00:00Z")));

        JsonNode customer = ErasureTestSupport.awaitJson(port, "/api/customers/" + id + "?minVersion=1");
        assertThat(customer.path("name").asText()).isEqualTo("Olga Own");
        assertThat(customer.path("email").asText()).isEqualTo("olga@example.com");
        JsonNode listed = ErasureTestSupport.awaitJson(port, "/api/customers?q=olga").get("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("name").asText()).isEqualTo("Olga Own");

        JsonNode contact = ErasureTestSupport.awaitJson(port, "/api/customers/" + id + "/history?types=CONTACT&minVersion=1")
                .get("items").get(0);
        assertThat(contact.get("details").get("notes").asText()).isEqualTo("call Olga back");
        assertThat(contact.get("details").get("subject").asText()).isEqualTo("Olga's parcel");

        JsonNode value = ErasureTestSupport.awaitJson(port, "/api/customers/" + id + "/value?minVersion=1");
        assertThat(value.get("lastContactAt").asText()).startsWith("2025-05-02T00:00");
    }
}
