package io.crmhistory.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.rules.PublishSegmentationRules;
import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.api.rules.SegmentationRulesPublished;
import io.crmhistory.platform.audit.EventHashChain;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import io.crmhistory.platform.privacy.PersonalFields;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.web.Cursors;
import io.crmhistory.platform.testing.TemporaryDataDirectory;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auditors' API over the real JDBC event store and embedded MongoDB: raw event export in three
 * formats, state as of an instant on both axes (equal to the live read models at now), chain
 * verification against tampering done directly in the table, and the access log every audit call leaves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditHttpTest {

    private static final Logger log = LoggerFactory.getLogger(AuditHttpTest.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The fixed clock of the test profile. */
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** When version 2 of the rules was published (business time and recorded time alike). */
    static final Instant RULES_V2_AT = Instant.parse("2025-03-01T00:00:00Z");

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("crm.data-dir", TemporaryDataDirectory.create()::toString);
        // every customer's stream kept for the as-of, so these tests also answer from kept streams
        registry.add("crm.audit.as-of-cache.min-events", () -> "1");
        // longer streams answered as they are read (the random histories have 4 to 23 events, the long one 10,000)
        registry.add("crm.audit.as-of.max-events-held", () -> "20");
    }

    @LocalServerPort
    int port;
    @Autowired
    EventStore eventStore;
    @Autowired
    EventHashChain chain;
    @Autowired
    PersonalDataProtector protector;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    WebMvcProperties mvc;
    @Autowired
    CustomerTimelines timelines;

    private final Map<String, String> lastHash = new HashMap<>();
    private final Map<String, Long> nextSequence = new HashMap<>();

    @BeforeAll
    void recordHistory() {
        // Big spenders become VIP from version 2 on: a rule change the as-of answer must respect.
        List<SegmentationRuleSet.SegmentRule> segments = new ArrayList<>(SegmentationRuleSet.DEFAULT.segments());
        segments.add(0, new SegmentationRuleSet.SegmentRule("VIP", "m >= 3"));
        SegmentationRuleSet v2 = new SegmentationRuleSet(SegmentationRuleSet.DEFAULT.recencyDays(),
                SegmentationRuleSet.DEFAULT.frequencyOrders(), SegmentationRuleSet.DEFAULT.monetary(), segments,
                SegmentationRuleSet.DEFAULT.fallback());
        SegmentationRulesPublished published = new SegmentationRulesPublished(2, v2, "olga",
                Events.at(RULES_V2_AT.toString()));
        eventStore.publish(new GenericDomainEventMessage<>("SegmentationRuleBook", PublishSegmentationRules.RULE_BOOK_ID,
                0, published, Map.of("principal", "olga", EventHashChain.HASH, chain.hashOf(null, 0, published)),
                UUID.randomUUID().toString(), RULES_V2_AT));

        // Recorded late: the 2024 purchase was only imported on 2025-06-10.
        record("ada", Instant.parse("2025-01-10T00:00:00Z"), Events.of("ada")
                .registered("Ada Lovelace", "ada@example.com", "2025-01-10T00:00:00Z")
                .purchase("o-1", "800.00", "EUR", "2025-02-01T00:00:00Z")
                .status(CustomerStatus.LEAD, CustomerStatus.ACTIVE, "2025-02-01T00:00:00Z")
                .contact("c-1", ContactChannel.PHONE, "2025-05-01T00:00:00Z")
                .refund("o-1", "r-1", "100.00", "EUR", "2025-05-02T00:00:00Z")
                .purchase("o-0", "50.00", "USD", "2024-12-01T00:00:00Z"));
    }

    // --- events ---

    @Test
    void theEventStreamIsExportedAsJsonWithMetadataAndBusinessAndRecordedTime() {
        JsonNode stream = get("/api/audit/customers/ada/events", "auditor").json();

        assertThat(stream.get("customerId").asText()).isEqualTo("ada");
        JsonNode events = stream.get("events");
        assertThat(events).hasSize(6);
        JsonNode first = events.get(0);
        assertThat(first.get("sequence").asLong()).isZero();
        assertThat(first.get("type").asText()).isEqualTo("CustomerRegistered");
        assertThat(first.get("payloadType").asText()).isEqualTo(CustomerRegistered.class.getName());
        assertThat(first.get("revision").asText()).isEqualTo("1");
        assertThat(first.get("payload").get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(first.get("metadata").get("principal").asText()).isEqualTo("importer");
        assertThat(first.get("metadata").get("source").asText()).isEqualTo("import");
        assertThat(first.get("metadata").get("hash").asText()).hasSize(64);
        JsonNode late = events.get(5);
        assertThat(late.get("occurredAt").asText()).isEqualTo("2024-12-01T00:00:00Z");
        assertThat(late.get("recordedAt").asText()).isEqualTo("2025-06-10T00:00:00Z");
        assertThat(late.get("metadata").get("previousHash").asText()).isEqualTo(events.get(4).get("metadata").get("hash").asText());
    }

    @Test
    void theEventStreamIsFilteredByBusinessTimeAndType() {
        JsonNode purchases = get("/api/audit/customers/ada/events?types=PurchaseRecorded,RefundRecorded"
                + "&from=2025-01-01T00:00:00Z&to=2025-05-02T00:00:00%2B00:00", "auditor").json().get("events");

        assertThat(purchases).extracting(event -> event.get("sequence").asLong()).containsExactly(1L);
    }

    @Test
    void ndjsonStreamsOneEventPerLine() {
        Response response = send(request("/api/audit/customers/ada/events?types=PurchaseRecorded", "auditor")
                .header("Accept", "application/x-ndjson").build());

        assertThat(response.status).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/x-ndjson");
        String[] lines = response.body.split("\n");
        assertThat(lines).hasSize(2);
        assertThat(json(lines[1]).get("payload").get("orderId").asText()).isEqualTo("o-0");
    }

    @Test
    void csvIsOneQuotedRowPerEventUnderAHeader() {
        Response response = send(request("/api/audit/customers/ada/events", "auditor")
                .header("Accept", "text/csv, application/json;q=0.5").build());

        assertThat(response.status).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/csv");
        String[] rows = response.body.split("\r\n");
        assertThat(rows).hasSize(7);
        assertThat(rows[0]).isEqualTo("sequence,type,revision,occurredAt,recordedAt,principal,correlationId,source,hash,"
                + "eventId,payload");
        assertThat(rows[2]).startsWith("1,PurchaseRecorded,1,2025-02-01T00:00:00Z,2025-02-01T00:00:00Z,importer,corr-ada,"
                + "import,");
        String payloadCell = rows[2].substring(rows[2].indexOf(",\"{") + 1);
        assertThat(payloadCell).startsWith("\"{").endsWith("}\"");
        JsonNode payload = json(payloadCell.substring(1, payloadCell.length() - 1).replace("\"\"", "\""));
        assertThat(payload.get("orderId").asText()).isEqualTo("o-1");
        assertThat(payload.get("customerId").asText()).isEqualTo("ada");

        String[] documented = EventExport.CSV_EXAMPLE.split("\r\n");
        assertThat(documented[0]).as("the OpenAPI example's header").isEqualTo(rows[0]);
        assertThat(documented[1]).as("the OpenAPI example's row").startsWith("1,PurchaseRecorded,1,").endsWith("}\"");
    }

    @Test
    void badParametersUnknownCustomersAndOtherRolesAreProblems() {
        assertProblem(get("/api/audit/customers/nobody/events", "auditor"), 404, "customerId");
        assertProblem(send(request("/api/audit/customers/nobody/events", "auditor").header("Accept", "text/csv").build()),
                404, "customerId");
        assertProblem(get("/api/audit/customers/nobody/state", "auditor"), 404, "customerId");
        assertProblem(get("/api/audit/customers/nobody/verify", "auditor"), 404, "customerId");
        assertProblem(get("/api/audit/customers/ada/events?types=Party", "auditor"), 400, "types");
        assertProblem(get("/api/audit/customers/ada/events?from=yesterday", "auditor"), 400, "from");
        assertProblem(send(request("/api/audit/customers/ada/events", "auditor").header("Accept", "application/xml").build()),
                406, "Accept");
        assertProblem(get("/api/audit/customers/ada/state?asOf=2025-06-01", "auditor"), 400, "asOf");
        assertProblem(get("/api/audit/customers/ada/state?asOf=2026-02-01T00:00:00Z", "auditor"), 400, "asOf");
        assertProblem(get("/api/audit/customers/ada/state?asOf=-999999999-01-01T00:00:00Z", "auditor"), 400, "asOf");
        assertProblem(get("/api/audit/customers/ada/events?to=%2B999999999-12-31T23:59:59Z", "auditor"), 400, "to");
        assertProblem(get("/api/audit/customers/ada/state?axis=sideways", "auditor"), 400, "axis");
        assertProblem(get("/api/audit/customers/ada/state?asOf=2025-01-01T00:00:00Z", "auditor"), 404, "asOf");
        assertProblem(get("/api/audit/customers/segmentation-rules/events", "auditor"), 404, "customerId");
        assertProblem(get("/api/audit/customers/ada/events", "reader"), 403, "Authorization");
        assertProblem(get("/api/audit/customers/ada/verify", "ops"), 403, "Authorization");
        assertProblem(get("/api/audit/customers/ada/state", null), 401, "Authorization");
    }

    // --- state as of ---

    @Test
    void theRecordedAxisShowsWhatTheSystemKnewThen() {
        JsonNode state = get("/api/audit/customers/ada/state?asOf=2025-06-01T00:00:00Z", "auditor").json();

        assertThat(state.get("axis").asText()).isEqualTo("recorded");
        assertThat(state.get("eventsApplied").asLong()).isEqualTo(5);
        assertThat(state.get("customer").get("status").asText()).isEqualTo("ACTIVE");
        assertThat(state.get("value").get("netRevenue").asText()).isEqualTo("700.00");
        assertThat(state.get("value").get("orderCount").asLong()).isEqualTo(1);
        assertThat(state.get("value").get("asOf").asText()).isEqualTo("2025-06-01T00:00:00Z");
        // m = 3 (net 700 >= 500): version 2 was in force on 2025-06-01
        assertThat(state.get("segment").get("segment").asText()).isEqualTo("VIP");
        assertThat(state.get("segment").get("ruleVersion").asInt()).isEqualTo(2);
        assertThat(state.get("segment").get("matchedRule").asText()).isEqualTo("VIP");
        assertThat(state.get("segment").get("evaluatedAt").asText()).isEqualTo("2025-06-01T00:00:00Z");
        assertThat(state.get("segment").get("inputs").get("daysSinceLastPurchase").asLong()).isEqualTo(120);
        assertThat(state.get("customer").get("segment").get("name").asText()).isEqualTo("VIP");
    }

    @Test
    void theOccurredAxisShowsWhatHadHappenedAsKnownNow() {
        JsonNode state = get("/api/audit/customers/ada/state?asOf=2025-01-31T00:00:00Z&axis=occurred", "auditor").json();

        assertThat(state.get("axis").asText()).isEqualTo("occurred");
        // the registration and the 2024 purchase recorded in June
        assertThat(state.get("eventsApplied").asLong()).isEqualTo(2);
        assertThat(state.get("value").get("perCurrency").get("USD").get("gross").asText()).isEqualTo("50.00");
        assertThat(state.get("value").get("netRevenue").asText()).isEqualTo("46.00");
        assertThat(state.get("segment").get("ruleVersion").asInt()).isEqualTo(1);
        assertThat(state.get("segment").get("segment").asText()).isEqualTo("NEW");

        JsonNode known = get("/api/audit/customers/ada/state?asOf=2025-01-31T00:00:00Z&axis=recorded", "auditor").json();
        assertThat(known.get("eventsApplied").asLong()).isEqualTo(1);
        assertThat(known.get("value").get("orderCount").asLong()).isZero();
        assertThat(known.get("segment").get("segment").asText()).isEqualTo("PROSPECT");
    }

    /** Random histories (fixed seeds): the as-of answer at now equals what the live read models answer. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233})
    void asOfNowEqualsTheLiveReadModels(long seed) {
        String id = "random-" + seed;
        List<EventEnvelope> history = RandomHistories.of(id, new java.util.Random(seed));
        for (EventEnvelope envelope : history) {
            append(id, envelope.event(), envelope.recordedAt());
        }
        long version = history.size() - 1;
        await().atMost(Duration.ofSeconds(30)).until(() ->
                get("/api/customers/" + id + "/segment?minVersion=" + version, "reader").status == 200
                        && get("/api/customers/" + id + "/value?minVersion=" + version, "reader").status == 200
                        && get("/api/customers/" + id + "?minVersion=" + version, "reader").status == 200);

        JsonNode asOf = get("/api/audit/customers/" + id + "/state", "auditor").json();

        assertThat(asOf.get("asOf").asText()).isEqualTo(NOW.toString());
        assertThat(asOf.get("customer")).isEqualTo(get("/api/customers/" + id, "reader").json());
        assertThat(asOf.get("value")).isEqualTo(get("/api/customers/" + id + "/value", "reader").json());
        assertThat(asOf.get("segment")).isEqualTo(get("/api/customers/" + id + "/segment", "reader").json());
        JsonNode explicitNow = get("/api/audit/customers/" + id + "/state?asOf=" + NOW + "&axis=recorded", "auditor").json();
        assertThat(explicitNow).isEqualTo(asOf);
    }

    /**
     * Business times finer than a millisecond (as events recorded before times were cut to it carry them): the read
     * models keep milliseconds, and the as-of answer shows the same, so asking as of the instant a read model shows
     * finds the event that happened within it.
     */
    @Test
    void aTimeFinerThanAMillisecondIsAnsweredAsTheReadModelsShowIt() {
        String id = "fine-grained";
        record(id, Instant.parse("2025-06-01T00:00:00Z"), Events.of(id)
                .registered("Fine Grained", null, "2025-03-01T09:00:00.123456Z")
                .purchase("o-1", "10.00", "EUR", "2025-03-02T09:00:00.987654Z"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                get("/api/customers/" + id + "/segment?minVersion=1", "reader").status == 200
                        && get("/api/customers/" + id + "/value?minVersion=1", "reader").status == 200
                        && get("/api/customers/" + id + "?minVersion=1", "reader").status == 200);
        JsonNode live = get("/api/customers/" + id, "reader").json();
        assertThat(live.get("registeredAt").asText()).isEqualTo("2025-03-01T09:00:00.123Z");

        JsonNode asOf = get("/api/audit/customers/" + id + "/state", "auditor").json();
        assertThat(asOf.get("customer")).isEqualTo(live);
        assertThat(asOf.get("value")).isEqualTo(get("/api/customers/" + id + "/value", "reader").json());
        assertThat(asOf.get("segment")).isEqualTo(get("/api/customers/" + id + "/segment", "reader").json());

        Response atTheShownInstant = get("/api/audit/customers/" + id
                + "/state?asOf=2025-03-01T09:00:00.123Z&axis=occurred", "auditor");
        assertThat(atTheShownInstant.status).as(atTheShownInstant.body).isEqualTo(200);
        assertThat(atTheShownInstant.json().get("eventsApplied").asLong()).isEqualTo(1);
    }

    /** Longer than this class lets be held: read as a stream (the benchmark measures the held replay). */
    @Test
    void aLongHistoryIsReplayedAsItIsRead() {
        String id = "long";
        Events events = Events.of(id).registered("Long Story", null, "2020-01-01T00:00:00Z");
        Instant at = Instant.parse("2020-01-02T00:00:00Z");
        for (int i = 1; i < 10_000; i++) {
            at = at.plusSeconds(3_600);
            if (i % 2 == 0) {
                events.purchase("o-" + i, "10.00", "EUR", at.toString());
            } else {
                events.contact("c-" + i, ContactChannel.EMAIL, at.toString());
            }
        }
        List<GenericDomainEventMessage<?>> messages = new ArrayList<>();
        for (EventEnvelope envelope : events.envelopes()) {
            messages.add(new GenericDomainEventMessage<>("Customer", id, envelope.sequence(), envelope.event(),
                    Map.of("principal", "importer", "source", "import"), UUID.randomUUID().toString(),
                    envelope.occurredAt()));
        }
        eventStore.publish(messages);

        // Measured once the live projections are done with these events, so the figure is the replay's own.
        await().atMost(Duration.ofSeconds(120)).until(() ->
                get("/api/customers/" + id + "/segment?minVersion=9999", "reader").status == 200);
        get("/api/audit/customers/" + id + "/state", "auditor"); // warm-up
        long started = System.nanoTime();
        Response response = get("/api/audit/customers/" + id + "/state", "auditor");
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.status).isEqualTo(200);
        assertThat(response.json().get("eventsApplied").asLong()).isEqualTo(10_000);
        assertThat(response.json().get("value").get("orderCount").asLong()).isEqualTo(4_999);
        assertThat(timelines.keeps(id)).isFalse();
        JsonNode occurred = get("/api/audit/customers/" + id + "/state?axis=occurred", "auditor").json();
        assertThat(occurred.get("eventsApplied").asLong()).isEqualTo(10_000);
        assertThat(occurred.get("value")).isEqualTo(response.json().get("value"));
        log.info("As-of state of a customer with 10,000 events, read as a stream, answered in {} ms", millis);
    }

    @Test
    void eventsRecordedAfterAStreamWasKeptAreInTheNextAnswer() {
        String id = "grace";
        List<EventEnvelope> history = Events.of(id)
                .registered("Grace Hopper", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "10.00", "EUR", "2025-01-02T00:00:00Z")
                .purchase("o-2", "5.00", "EUR", "2025-01-03T00:00:00Z")
                .envelopes();
        append(id, history.get(0).event(), history.get(0).occurredAt());
        append(id, history.get(1).event(), history.get(1).occurredAt());
        assertThat(get("/api/audit/customers/grace/state", "auditor").json().get("eventsApplied").asLong()).isEqualTo(2);

        append(id, history.get(2).event(), history.get(2).occurredAt());

        JsonNode state = get("/api/audit/customers/grace/state", "auditor").json();
        assertThat(state.get("eventsApplied").asLong()).isEqualTo(3);
        assertThat(state.get("value").get("orderCount").asLong()).isEqualTo(2);
    }

    // --- verify ---

    @Test
    void anUntouchedChainVerifies() {
        JsonNode verification = get("/api/audit/customers/ada/verify", "auditor").json();

        assertThat(verification.get("valid").asBoolean()).isTrue();
        assertThat(verification.get("events").asLong()).isEqualTo(6);
        assertThat(verification.has("firstInvalidSequence")).isFalse();
    }

    @Test
    void aChangedPayloadIsFound() {
        recordChainedCustomer("t-payload");
        String where = " WHERE aggregateIdentifier = 't-payload' AND sequenceNumber = 2";
        byte[] payload = jdbc.queryForObject("SELECT payload FROM DomainEventEntry" + where, byte[].class);
        String refund = new String(payload, StandardCharsets.UTF_8);
        assertThat(refund).contains("100.00");
        jdbc.update("UPDATE DomainEventEntry SET payload = ?" + where,
                (Object) refund.replace("100.00", "900.00").getBytes(StandardCharsets.UTF_8));

        assertBroken("t-payload", 2, "content does not match its hash");
    }

    @Test
    void anEditedTypeOfTheFirstEventIsFoundNotHiddenBehindA404() {
        recordChainedCustomer("t-type");
        String where = " WHERE aggregateIdentifier = 't-type' AND sequenceNumber = 0";
        String original = jdbc.queryForObject("SELECT payloadType FROM DomainEventEntry" + where, String.class);
        try {
            // a type no projection knows (they skip it), outside the customer events' package
            jdbc.update("UPDATE DomainEventEntry SET payloadType = ?" + where, "io.crmhistory.api.Tampered");
            assertBroken("t-type", 0, null);
        } finally {
            jdbc.update("UPDATE DomainEventEntry SET payloadType = ?" + where, original);
        }
        assertProblem(get("/api/audit/customers/" + PublishSegmentationRules.RULE_BOOK_ID + "/verify", "auditor"), 404,
                "customerId");
    }

    /**
     * Nor does it cover the aggregate-type column: one UPDATE of it made the customer unknown to every audit read while
     * verify still answered valid.
     */
    @Test
    void anEditedAggregateTypeIsFound() {
        recordChainedCustomer("t-aggregate");
        jdbc.update("UPDATE DomainEventEntry SET type = 'Tampered' WHERE aggregateIdentifier = 't-aggregate' "
                + "AND sequenceNumber = 0");

        assertProblem(get("/api/audit/customers/t-aggregate/events", "auditor"), 404, "customerId");
        assertBroken("t-aggregate", 0, "aggregate type is 'Tampered', not 'Customer'");
    }

    @Test
    void theRuleBookChainVerifiesAndAnEditedRuleIsFound() {
        JsonNode untouched = get("/api/audit/segmentation-rules/verify", "auditor").json();
        assertThat(untouched.get("valid").asBoolean()).isTrue();
        assertThat(untouched.get("events").asLong()).isEqualTo(1);

        String where = " WHERE aggregateIdentifier = '" + PublishSegmentationRules.RULE_BOOK_ID + "' AND sequenceNumber = 0";
        byte[] original = jdbc.queryForObject("SELECT payload FROM DomainEventEntry" + where, byte[].class);
        String rules = new String(original, StandardCharsets.UTF_8);
        assertThat(rules).contains("m >= 3");
        try {
            jdbc.update("UPDATE DomainEventEntry SET payload = ?" + where,
                    (Object) rules.replace("m >= 3", "m >= 1").getBytes(StandardCharsets.UTF_8));
            JsonNode edited = get("/api/audit/segmentation-rules/verify", "auditor").json();
            assertThat(edited.get("valid").asBoolean()).isFalse();
            assertThat(edited.get("firstInvalidSequence").asLong()).isZero();
        } finally {
            jdbc.update("UPDATE DomainEventEntry SET payload = ?" + where, (Object) original);
        }
        assertProblem(get("/api/audit/segmentation-rules/verify", "reader"), 403, "Authorization");
    }

    @Test
    void aDeletedEventIsFound() {
        recordChainedCustomer("t-deleted");
        jdbc.update("DELETE FROM DomainEventEntry WHERE aggregateIdentifier = ? AND sequenceNumber = 1", "t-deleted");

        assertBroken("t-deleted", 1, "event 1 is missing");
    }

    @Test
    void swappedEventsAreFound() {
        recordChainedCustomer("t-swapped");
        String sql = "UPDATE DomainEventEntry SET sequenceNumber = ? WHERE aggregateIdentifier = 't-swapped' "
                + "AND sequenceNumber = ?";
        jdbc.update(sql, -1, 1);
        jdbc.update(sql, 1, 2);
        jdbc.update(sql, 2, -1);

        assertBroken("t-swapped", 1, null);
    }

    /** The hash does not cover the aggregate id column: one UPDATE moves a whole valid chain to another customer. */
    @Test
    void aStreamMovedToAnotherCustomersIdIsFound() {
        recordChainedCustomer("t-moved-from");
        jdbc.update("UPDATE DomainEventEntry SET aggregateIdentifier = 't-moved-to' "
                + "WHERE aggregateIdentifier = 't-moved-from'");

        assertBroken("t-moved-to", 0, "it was moved between streams");
    }

    @Test
    void anErasedCustomerStillVerifiesAndShowsNoPersonalData() {
        String id = "erin";
        append(id, new CustomerRegistered(id, protect(id, PersonalFields.NAME, "Erin Erased"),
                protect(id, PersonalFields.EMAIL, "erin@example.com"), null, "DE", "web",
                Events.at("2025-05-01T00:00:00Z")), Instant.parse("2025-05-01T00:00:00Z"));
        append(id, new ContactRecorded(id, "c-1", ContactChannel.EMAIL, ContactDirection.INBOUND, "agent-7",
                protect(id, PersonalFields.SUBJECT, "Erin's complaint"), null, null, Events.at("2025-05-02T00:00:00Z")),
                Instant.parse("2025-05-02T00:00:00Z"));
        assertThat(get("/api/audit/customers/erin/events", "auditor").body).contains("Erin Erased", "Erin's complaint");
        assertThat(get("/api/audit/customers/erin/state", "auditor").body).contains("Erin Erased"); // kept, revealed
        // what is kept for the next question holds the profile, not a contact's words (in no state)
        assertThat(timelines.events(id).toString()).contains("Erin Erased").doesNotContain("Erin's complaint");

        protector.forget(id);
        assertThat(timelines.keeps(id)).isTrue();
        append(id, new CustomerPersonalDataErased(id, "data subject request", Events.at("2025-06-01T00:00:00Z")),
                Instant.parse("2025-06-01T00:00:00Z"));
        // Dropped once the erasure is projected, not only when an auditor next asks about the customer.
        await().atMost(Duration.ofSeconds(30)).until(() -> !timelines.keeps(id));

        JsonNode verification = get("/api/audit/customers/erin/verify", "auditor").json();
        assertThat(verification.get("valid").asBoolean()).isTrue();
        assertThat(verification.get("events").asLong()).isEqualTo(3);
        String exported = get("/api/audit/customers/erin/events", "auditor").body;
        assertThat(exported).doesNotContain("Erin Erased", "erin@example.com", "complaint", "pd:v1:");
        JsonNode registered = json(exported).get("events").get(0).get("payload");
        assertThat(registered.has("name")).isFalse();
        assertThat(registered.get("country").asText()).isEqualTo("DE");
        JsonNode state = get("/api/audit/customers/erin/state", "auditor").json();
        assertThat(state.get("customer").get("personalDataErased").asBoolean()).isTrue();
        assertThat(state.get("customer").has("name") && !state.get("customer").get("name").isNull()).isFalse();
        // before the erasure's own time too: the stream kept with the name revealed is not answered with
        assertThat(get("/api/audit/customers/erin/state?asOf=2025-05-15T00:00:00Z", "auditor").body)
                .contains("\"country\":\"DE\"").doesNotContain("Erin Erased", "erin@example.com");
    }

    // --- rules and the access log ---

    @Test
    void everyRuleVersionIsListedWithWhoPublishedItAndWhen() {
        for (String user : List.of("reader", "auditor", "ops")) {
            JsonNode rules = get("/api/segmentation-rules", user).json();
            assertThat(rules.get("currentVersion").asInt()).isEqualTo(2);
            assertThat(rules.get("current").get("segments").get(0).get("name").asText()).isEqualTo("VIP");
            JsonNode versions = rules.get("versions");
            assertThat(versions).hasSize(2);
            assertThat(versions.get(0).get("version").asInt()).isEqualTo(1);
            assertThat(versions.get(0).get("publishedBy").asText()).isEqualTo("system");
            assertThat(versions.get(0).hasNonNull("publishedAt")).isFalse();
            assertThat(versions.get(1).get("publishedBy").asText()).isEqualTo("olga");
            assertThat(versions.get(1).get("publishedAt").asText()).isEqualTo(RULES_V2_AT.toString());
        }
        assertProblem(get("/api/segmentation-rules", "writer"), 403, "Authorization");
    }

    @Test
    void everyAuditCallLeavesATrailOnlyOpsCanRead() {
        String id = "watched";
        record(id, Instant.parse("2025-01-01T00:00:00Z"), Events.of(id).registered("Watched", null, "2025-01-01T00:00:00Z"));
        send(request("/api/audit/customers/" + id + "/events?types=CustomerRegistered", "auditor")
                .header("X-Correlation-Id", "look-1").build());
        get("/api/audit/customers/" + id + "/state?axis=occurred", "auditor");
        get("/api/audit/customers/" + id + "/verify", "auditor");
        get("/api/audit/customers/" + id + "/events?types=Party", "auditor"); // refused: reads nothing, no trail
        // Refused after reading the stream, and telling that the customer exists: a trail.
        assertProblem(get("/api/audit/customers/" + id + "/state?asOf=2024-06-01T00:00:00Z", "auditor"), 404, "asOf");

        JsonNode log = get("/api/audit/access-log?customerId=" + id, "ops").json();
        assertThat(log.get("items")).extracting(item -> item.get("call").asText())
                .containsExactly("state", "verify", "state", "events");
        assertThat(log.get("items").get(0).get("parameters").asText()).isEqualTo("asOf=2024-06-01T00:00:00Z");
        JsonNode events = log.get("items").get(3);
        assertThat(events.get("principal").asText()).isEqualTo("auditor");
        assertThat(events.get("parameters").asText()).isEqualTo("types=CustomerRegistered");
        assertThat(events.get("correlationId").asText()).isEqualTo("look-1");
        assertThat(events.get("at").asText()).isEqualTo(NOW.toString());

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get("/api/audit/access-log?limit=1&customerId=" + id + (cursor == null ? "" : "&cursor=" + cursor),
                    "ops").json();
            page.get("items").forEach(item -> paged.add(item.get("call").asText()));
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        assertThat(paged).containsExactly("state", "verify", "state", "events");
        // A position is the listing's own: taken to another filter it would skip that filter's newer entries.
        String firstPageCursor = get("/api/audit/access-log?limit=1&customerId=" + id, "ops").json()
                .get("nextCursor").asText();
        assertProblem(get("/api/audit/access-log?limit=1&customerId=someone-else&cursor=" + firstPageCursor, "ops"),
                400, "cursor");
        assertProblem(get("/api/audit/access-log?limit=1&cursor=" + firstPageCursor, "ops"), 400, "cursor");
        assertThat(get("/api/audit/access-log?principal=nobody", "ops").json().get("items")).isEmpty();
        assertThat(get("/api/audit/access-log?principal=auditor&to=" + NOW, "ops").json().get("items")).isEmpty();
        assertProblem(get("/api/audit/access-log?cursor=garbage", "ops"), 400, "cursor");
        // Valid ISO-8601 (and a well-formed cursor), but beyond what the stores' dates hold: refused, not a 500.
        assertProblem(get("/api/audit/access-log?from=-999999999-01-01T00:00:00Z", "ops"), 400, "from");
        assertProblem(get("/api/audit/access-log?to=%2B999999999-12-31T23:59:59Z", "ops"), 400, "to");
        String farPast = cursor(Map.of("o", Cursors.ordering("access-log", null, null, null, null),
                "v", Long.toString(Long.MIN_VALUE),
                "id", new org.bson.types.ObjectId().toHexString()));
        assertProblem(get("/api/audit/access-log?cursor=" + farPast, "ops"), 400, "cursor");
        assertProblem(get("/api/audit/access-log", "auditor"), 403, "Authorization");
        assertProblem(get("/api/audit/access-log", "reader"), 403, "Authorization");
    }

    /** A value padded with spaces the call trims away is logged as the call read it, not cut off with the padding. */
    @Test
    void theTrailShowsTheParametersAsTheCallReadThem() {
        String id = "padded";
        record(id, Instant.parse("2025-01-01T00:00:00Z"), Events.of(id).registered("Pat Padded", null, "2025-01-01T00:00:00Z"));
        assertThat(get("/api/audit/customers/" + id + "/state?asOf=" + "+".repeat(1_000) + "2025-06-01T00:00:00Z"
                + "&axis=occurred", "auditor").status).isEqualTo(200);

        JsonNode entry = get("/api/audit/access-log?customerId=" + id, "ops").json().get("items").get(0);

        assertThat(entry.get("parameters").asText()).isEqualTo("asOf=2025-06-01T00:00:00Z&axis=occurred");
    }

    @Test
    void theAccessLogIsForOpsWhateverTheMethod() {
        assertThat(send(head("/api/audit/access-log", "auditor")).status).isEqualTo(403);
        assertThat(send(head("/api/audit/access-log", "reader")).status).isEqualTo(403);
        assertThat(send(head("/api/audit/access-log", "ops")).status).isEqualTo(200);
    }

    /** A streamed export runs as an asynchronous request: without a timeout of its own, Tomcat's 30 s would cut it. */
    @Test
    void longExportsAreNotCutByTheContainersAsyncTimeout() {
        assertThat(mvc.getAsync().getRequestTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    // --- helpers ---

    private void recordChainedCustomer(String id) {
        record(id, Instant.parse("2025-03-01T00:00:00Z"), Events.of(id).registered("Tampered " + id, null,
                        "2025-03-01T00:00:00Z")
                .purchase("o-1", "300.00", "EUR", "2025-03-02T00:00:00Z")
                .refund("o-1", "r-1", "100.00", "EUR", "2025-03-03T00:00:00Z")
                .contact("c-1", ContactChannel.CHAT, "2025-03-04T00:00:00Z"));
        assertThat(get("/api/audit/customers/" + id + "/verify", "auditor").json().get("valid").asBoolean()).isTrue();
    }

    private void assertBroken(String id, long sequence, String reason) {
        Response response = get("/api/audit/customers/" + id + "/verify", "auditor");
        assertThat(response.status).isEqualTo(200);
        JsonNode verification = response.json();
        assertThat(verification.get("valid").asBoolean()).as(response.body).isFalse();
        assertThat(verification.get("firstInvalidSequence").asLong()).as(response.body).isEqualTo(sequence);
        if (reason != null) {
            assertThat(verification.get("reason").asText()).contains(reason);
        }
    }

    /** Appends the events, recorded at their business time except the ones recorded later (ada's import). */
    private void record(String id, Instant importedAt, Events events) {
        for (EventEnvelope envelope : events.envelopes()) {
            Instant occurredAt = envelope.occurredAt();
            append(id, envelope.event(), occurredAt.isBefore(importedAt) ? Instant.parse("2025-06-10T00:00:00Z") : occurredAt);
        }
    }

    /** As the command side appends: the next sequence, chained to the previous event's hash. */
    private void append(String id, CustomerEvent event, Instant recordedAt) {
        long sequence = nextSequence.getOrDefault(id, 0L);
        String previous = lastHash.get(id);
        String hash = chain.hashOf(previous, sequence, event);
        Map<String, Object> metadata = new HashMap<>(Map.of("principal", "importer", "source", "import",
                "correlationId", "corr-" + id, EventHashChain.HASH, hash));
        if (previous != null) {
            metadata.put(EventHashChain.PREVIOUS_HASH, previous);
        }
        eventStore.publish(new GenericDomainEventMessage<>("Customer", id, sequence, event, metadata,
                UUID.randomUUID().toString(), recordedAt));
        lastHash.put(id, hash);
        nextSequence.put(id, sequence + 1);
    }

    private String protect(String id, String field, String plaintext) {
        return protector.protect(id, field, plaintext);
    }

    /** A cursor as this service encodes them, with whatever position a client put in it. */
    private static String cursor(Map<String, String> position) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(position));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertProblem(Response response, int status, String field) {
        assertThat(response.status).as(response.body).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
    }

    private HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (user != null) {
            builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + user + "-secret").getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }

    private HttpRequest head(String path, String user) {
        return request(path, user).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    }

    private Response get(String path, String user) {
        return send(request(path, user).GET().build());
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("not JSON: " + text, e);
        }
    }

    record Response(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            return AuditHttpTest.json(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse("");
        }
    }
}
