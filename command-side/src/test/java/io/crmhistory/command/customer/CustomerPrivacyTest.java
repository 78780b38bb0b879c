package io.crmhistory.command.customer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;
import io.crmhistory.api.customer.command.CommandResult;
import io.crmhistory.api.customer.command.ErasePersonalData;
import io.crmhistory.api.customer.command.RecordContact;
import io.crmhistory.api.customer.command.UpdateProfile;
import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.api.customer.event.CustomerProfileUpdated;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.platform.audit.ChainVerifier;
import io.crmhistory.platform.audit.StoredEvent;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import io.crmhistory.platform.privacy.PersonalFields;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.crmhistory.command.customer.CustomerTest.CLOCK;
import static io.crmhistory.command.customer.CustomerTest.ID;
import static io.crmhistory.command.customer.CustomerTest.MONDAY;
import static io.crmhistory.command.customer.CustomerTest.NOW;
import static io.crmhistory.command.customer.CustomerTest.contact;
import static io.crmhistory.command.customer.CustomerTest.contacted;
import static io.crmhistory.command.customer.CustomerTest.purchase;
import static io.crmhistory.command.customer.CustomerTest.purchased;
import static io.crmhistory.command.customer.CustomerTest.activatedBy;
import static io.crmhistory.command.customer.CustomerTest.register;
import static io.crmhistory.command.customer.CustomerTest.registered;
import static io.crmhistory.command.customer.CustomerTest.satisfying;
import static org.assertj.core.api.Assertions.assertThat;

/** Personal data in the customer's events and state: encrypted, erasable, and what erasure leaves. */
class CustomerPrivacyTest {

    private FixtureConfiguration<Customer> fixture;
    private InMemoryEmailClaims emailClaims;
    private DeterministicProtection.DerivedKeys keys;
    private PersonalDataProtector protector;

    @BeforeEach
    void setUp() {
        emailClaims = new InMemoryEmailClaims();
        keys = new DeterministicProtection.DerivedKeys();
        protector = new PersonalDataProtector(keys, () -> new byte[12]);
        fixture = new AggregateTestFixture<>(Customer.class);
        fixture.registerInjectableResource(emailClaims);
        fixture.registerInjectableResource(CLOCK);
        fixture.registerInjectableResource(protector);
        fixture.registerInjectableResource(DeterministicProtection.chain());
        fixture.registerCommandHandlerInterceptor(new CommandValidationInterceptor(CLOCK));
    }

    /** A Hamcrest matcher over the published events, running AssertJ checks. */
    static org.hamcrest.Matcher<List<EventMessage<?>>> eventsSatisfying(java.util.function.Consumer<List<EventMessage<?>>> check) {
        return new org.hamcrest.CustomMatcher<>("events satisfying the checks") {
            @Override
            @SuppressWarnings("unchecked")
            public boolean matches(Object actual) {
                try {
                    check.accept((List<EventMessage<?>>) actual);
                    return true;
                } catch (AssertionError | ClassCastException e) {
                    return false;
                }
            }
        };
    }

    @Test
    void registrationKeepsNameEmailAndPhoneOnlyAsCiphertext() {
        fixture.givenNoPriorActivity()
                .when(new io.crmhistory.api.customer.command.RegisterCustomer(ID, "Ada Lovelace", "ada@example.com",
                        "+44 20 7946 0000", "GB", "web", MONDAY))
                .expectEventsMatching(eventsSatisfying(events -> {
                    CustomerRegistered event = (CustomerRegistered) events.get(0).getPayload();
                    assertThat(List.of(event.name(), event.email(), event.phone())).allMatch(protector::isProtected);
                    assertThat(protector.reveal(ID, PersonalFields.NAME, event.name())).contains("Ada Lovelace");
                    assertThat(protector.reveal(ID, PersonalFields.EMAIL, event.email())).contains("ada@example.com");
                    assertThat(protector.reveal(ID, PersonalFields.PHONE, event.phone())).contains("+44 20 7946 0000");
                    assertThat(event.country()).isEqualTo("GB");
                    assertThat(event.acquisitionChannel()).isEqualTo("web");
                }));
    }

    @Test
    void aContactsTextsAreCiphertextAndItsFactsStayReadable() {
        fixture.given(registered())
                .when(contact("k-1", "parcel late"))
                .expectEvents(contacted("k-1", "parcel late"));
        ContactRecorded event = contacted("k-1", "parcel late");
        assertThat(List.of(event.subject(), event.notes(), event.outcome())).allMatch(protector::isProtected);
        assertThat(event.agent()).isEqualTo("agent-7");
    }

    @Test
    void retriesAreStillRecognisedThroughTheCiphertext() {
        fixture.given(registered(), contacted("k-1", "parcel late"))
                .when(contact("k-1", "parcel late"))
                .expectNoEvents()
                .expectResultMessagePayload(new CommandResult(ID, 1, false));
    }

    @Test
    void erasureReleasesTheEmailAndDestroysTheKey() {
        emailClaims.claim(ID, "ada@example.com");
        fixture.given(registered())
                .when(new ErasePersonalData(ID, "GDPR request 17"))
                .expectEvents(new CustomerPersonalDataErased(ID, "GDPR request 17", NOW))
                .expectResultMessagePayload(new CommandResult(ID, 1, true));
        assertThat(emailClaims.owners).isEmpty();
        assertThat(keys.destroyed).containsExactly(ID);
    }

    @Test
    void erasingAgainRecordsNothing() {
        fixture.given(registered(), new CustomerPersonalDataErased(ID, "request", NOW))
                .when(new ErasePersonalData(ID, "request"))
                .expectNoEvents()
                .expectResultMessagePayload(new CommandResult(ID, 1, false));
    }

    @Test
    void erasingAnUnknownCustomerIsNotFound() {
        fixture.givenNoPriorActivity()
                .when(new ErasePersonalData(ID, "request"))
                .expectException(AggregateNotFoundException.class);
    }

    @Test
    void erasureNeedsAReason() {
        fixture.given(registered())
                .when(new ErasePersonalData(ID, " "))
                .expectNoEvents()
                .expectException(satisfying(e -> assertThat((Throwable) e).hasMessageContaining("reason")));
    }

    @Test
    void afterErasureNewPersonalDataIsRefusedNamingTheField() {
        fixture.given(registered(), new CustomerPersonalDataErased(ID, "request", NOW))
                .when(new UpdateProfile(ID, null, "ada@lovelace.org", null, null))
                .expectNoEvents()
                .expectException(satisfying(e -> assertThat(((CustomerConflictException) e).field()).isEqualTo("email")));
    }

    @Test
    void afterErasureFactsWithoutPersonalDataAreStillRecorded() {
        fixture.given(registered(), new CustomerPersonalDataErased(ID, "request", NOW))
                .when(new UpdateProfile(ID, null, null, null, "FR"))
                .expectEvents(new CustomerProfileUpdated(ID, null, null, null, "FR", NOW));
        fixture.given(registered(), new CustomerPersonalDataErased(ID, "request", NOW))
                .when(purchase("o-1", "10.00"))
                .expectEvents(purchased("o-1", "10.00"), activatedBy("o-1", io.crmhistory.api.customer.CustomerStatus.LEAD));
    }

    @Test
    void aContactRecordedBeforeErasureIsStillKnownByItsFacts() {
        RecordContact withoutTexts = new RecordContact(ID, "k-1", ContactChannel.PHONE, ContactDirection.INBOUND, MONDAY,
                "agent-7", null, null, null);
        fixture.given(registered(), contacted("k-1", "parcel late"), new CustomerPersonalDataErased(ID, "request", NOW))
                .when(withoutTexts)
                .expectNoEvents()
                .expectResultMessagePayload(new CommandResult(ID, 1, false));
    }

    @Test
    void theStateAndSoTheSnapshotHoldNoPlaintext() {
        Customer customer = new Customer();
        customer.on(registered(), "h0");
        customer.on(contacted("k-1", "parcel late"), "h1", 1);
        ObjectMapper mapper = DeterministicProtection.applicationMapper();
        String snapshot = new String(JacksonSerializer.builder().objectMapper(mapper).build()
                .serialize(customer, byte[].class).getData(), StandardCharsets.UTF_8);

        assertThat(snapshot).doesNotContain("Ada", "ada@example.com", "parcel late", "delivery", "resolved")
                .contains("pd:v1:", "\"lastHash\":\"h1\"");
        customer.on(new CustomerPersonalDataErased(ID, "request", NOW), "h2");
        String afterErasure = new String(JacksonSerializer.builder().objectMapper(mapper).build()
                .serialize(customer, byte[].class).getData(), StandardCharsets.UTF_8);
        assertThat(afterErasure).doesNotContain("pd:v1:").contains("\"erased\":true");
    }

    @Test
    void everyEventIsALinkOfTheCustomersChain() throws Exception {
        fixture.givenCommands(register(), contact("k-1", "parcel late"))
                .when(purchase("o-1", "10.00"))
                .expectSuccessfulHandlerExecution();
        ObjectMapper mapper = DeterministicProtection.applicationMapper();
        List<StoredEvent> rows = new java.util.ArrayList<>();
        for (DomainEventMessage<?> event : fixture.getEventStore().readEvents(ID).asStream().toList()) {
            rows.add(new StoredEvent(event.getSequenceNumber(), event.getPayloadType().getName(), "1",
                    mapper.writeValueAsBytes(event.getPayload()), mapper.writeValueAsBytes(event.getMetaData())));
        }

        assertThat(rows).hasSize(4);
        assertThat(ChainVerifier.verify(rows).valid()).isTrue();
    }
}
