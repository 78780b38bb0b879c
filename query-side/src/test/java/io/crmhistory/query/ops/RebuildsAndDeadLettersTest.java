package io.crmhistory.query.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.api.customer.event.CustomerProfileUpdated;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.platform.testing.TemporaryDataDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rebuilds beside the live version and dead letters, as an operator drives them over HTTP: reads are answered
 * from the live version the whole time, then switch; a second rebuild is refused; a cancelled one leaves
 * nothing behind; a stopped and restarted query side resumes the rebuild; a poison event is dead-lettered
 * while the other customers carry on, and ops list, retry and drop it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"crm.projections.retire-grace=0s", "crm.projections.batch-size=50",
                "crm.projections.rebuild-batch-size=50",
                "crm.segments.reevaluation-check-interval=500"})
@AutoConfigureObservability
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The poison events the last two tests leave in the store would hold back every later rebuild (as they should).
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebuildsAndDeadLettersTest {

    static final Path DATA_DIR = TemporaryDataDirectory.create();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int CUSTOMERS = 300;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("crm.data-dir", DATA_DIR::toString);
    }

    @LocalServerPort
    int port;
    @Autowired
    EventStore eventStore;
    @Autowired
    ProjectionProcessors processors;
    @Autowired
    ProjectionCatalog catalog;
    @Autowired
    MongoTemplate mongo;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventSchema schema;
    @Autowired
    TokenStore tokenStore;
    @Autowired
    MeterRegistry meters;

    @BeforeAll
    void recordCustomers() {
        for (int i = 0; i < CUSTOMERS; i++) {
            Events events = Events.of("c-" + i).registered("Customer " + i, "c" + i + "@example.com", "2025-01-01T00:00:00Z");
            for (int order = 0; order < i % 7; order++) {
                events.purchase("o-" + i + "-" + order, (10 + i) + ".00", "EUR", "2025-0" + (order + 1) + "-15T12:00:00Z");
            }
            events.contact("k-" + i, ContactChannel.EMAIL, "2025-09-01T00:00:00Z");
            append(events);
        }
        awaitLiveCaughtUp();
    }

    /**
     * The segment change log is the read model's, not a version's: a move recorded before a rebuild of the segment read
     * model (here one with no event, as the daily run makes) is still in the history after the switch, and where the
     * rebuilt version assesses a customer differently from the log's last change, a {@code REBUILD} change says so.
     * Before, the history showed the changes the rebuild's replay found, and the daily run's move was gone.
     */
    @Test
    @Order(1)
    void segmentChangesRecordedBeforeASegmentRebuildStayInTheHistoryWithTheRebuildsDifferencesAdded() {
        String moved = "c-20";
        String untouched = "c-21";
        ProjectionVersion segmentVersion = new ProjectionVersion(Projections.SEGMENT, catalog.live(Projections.SEGMENT));
        String states = segmentVersion.collection("segment_customers");
        org.bson.Document state = mongo.findById(moved, org.bson.Document.class, states);
        String segment = state.get("assessment", org.bson.Document.class).getString("segment");
        long sequence = state.getLong("lastSequence");
        // What a daily run leaves when recency moves a customer: their state in the new segment, and the change logged.
        mongo.updateFirst(org.springframework.data.mongodb.core.query.Query.query(
                        org.springframework.data.mongodb.core.query.Criteria.where("_id").is(moved)),
                new org.springframework.data.mongodb.core.query.Update().set("assessment.segment", "DRIFTED"), states);
        Instant at = Instant.parse("2025-12-31T02:00:00Z");
        mongo.insert(new io.crmhistory.query.segment.SegmentChange(
                io.crmhistory.query.segment.SegmentChange.timelineKey(moved, sequence) + "/t/TIME/v1/1", moved,
                sequence, null, segment, "DRIFTED", 1, "DRIFTED", "TIME", at, at, Instant.now()), "segment_change_log");
        List<JsonNode> movedBefore = segmentChanges(moved);
        List<JsonNode> untouchedBefore = segmentChanges(untouched);
        assertThat(movedBefore).last().satisfies(change -> assertThat(change.get("details").get("cause").asText())
                .isEqualTo("TIME"));

        assertThat(post("/api/ops/projections/segment/rebuild").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> catalog.live(Projections.SEGMENT) > segmentVersion.version()
                && segmentChanges(moved).size() == movedBefore.size() + 1);

        List<JsonNode> movedAfter = segmentChanges(moved);
        assertThat(movedAfter.subList(0, movedBefore.size())).isEqualTo(movedBefore);
        JsonNode reconciled = movedAfter.get(movedBefore.size()).get("details");
        assertThat(reconciled.get("cause").asText()).isEqualTo("REBUILD");
        assertThat(reconciled.get("from").asText()).isEqualTo("DRIFTED");
        assertThat(reconciled.get("to").asText()).isEqualTo(segment);
        assertThat(json(get("/api/customers/" + moved + "/segment", "reader")).get("segment").asText())
                .isEqualTo(segment);
        assertThat(segmentChanges(untouched)).isEqualTo(untouchedBefore);
    }

    @Test
    void readsKeepBeingAnsweredFromTheLiveVersionDuringARebuildThenSwitchAtOnce() throws Exception {
        int segmentVersion = catalog.live(Projections.SEGMENT);
        int valueVersion = catalog.live(Projections.VALUE);
        int directoryVersion = catalog.live(Projections.DIRECTORY);
        // Directory entries carry their segment moments after the segment read model has it.
        await().atMost(Duration.ofSeconds(10)).until(() -> atRiskCount() > 0 && json(get(
                "/api/customers?segment=AT_RISK&limit=500", "reader")).get("items").size() == atRiskCount());
        String segments = get("/api/segments", "reader").body();
        String atRisk = get("/api/customers?segment=AT_RISK&sort=-netRevenue&limit=20", "reader").body();
        String value = get("/api/customers/c-13/value", "reader").body();
        String list = get("/api/customers?sort=-netRevenue&limit=20", "reader").body();

        AtomicBoolean polling = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> poller = CompletableFuture.runAsync(() -> {
            while (polling.get()) {
                check("/api/segments", segments, wrong);
                check("/api/customers/c-13/value", value, wrong);
                check("/api/customers?sort=-netRevenue&limit=20", list, wrong);
                check("/api/customers?segment=AT_RISK&sort=-netRevenue&limit=20", atRisk, wrong);
                reads.addAndGet(4);
            }
        });

        HttpResponse<String> accepted = post("/api/ops/projections/segment/rebuild");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(json(accepted).get("version").asInt()).isEqualTo(segmentVersion + 1);
        assertThat(json(accepted).get("status").asText()).isEqualTo("REBUILDING");
        assertThat(json(accepted).get("requestedBy").asText()).isEqualTo("ops");
        assertThat(post("/api/ops/projections/value/rebuild").statusCode()).isEqualTo(202);
        assertThat(post("/api/ops/projections/directory/rebuild").statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).until(() -> catalog.live(Projections.SEGMENT) > segmentVersion
                && catalog.live(Projections.VALUE) > valueVersion && catalog.live(Projections.DIRECTORY) > directoryVersion
                && catalog.entry(Projections.SEGMENT).rebuilding() == null);
        polling.set(false);
        poller.get();

        assertThat(wrong).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(get("/api/segments", "reader").body()).isEqualTo(segments);
        assertThat(get("/api/customers/c-13/value", "reader").body()).isEqualTo(value);
        JsonNode projections = json(get("/api/ops/projections", "ops"));
        for (JsonNode projection : projections) {
            assertThat(projection.get("status").asText()).as(projection.toString()).isIn("LIVE", "CATCHING_UP");
        }
        // The replaced versions are dropped: collections, tokens and dead letters.
        await().atMost(Duration.ofSeconds(10)).until(() -> catalog.entry(Projections.VALUE).retired().isEmpty());
        assertThat(mongo.collectionExists(new ProjectionVersion(Projections.VALUE, valueVersion).collection("value_customers")))
                .isFalse();
        assertThat(mongo.collectionExists(new ProjectionVersion(Projections.VALUE, catalog.live(Projections.VALUE))
                .collection("value_customers"))).isTrue();
    }

    @Test
    void aSecondRebuildIsRefusedAndACancelledOneLeavesNothingBehind() {
        // With the processors stopped the rebuild cannot finish before it is cancelled.
        processors.stop();
        try {
            int live = catalog.live(Projections.HISTORY);
            HttpResponse<String> accepted = post("/api/ops/projections/history/rebuild");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            ProjectionVersion building = new ProjectionVersion(Projections.HISTORY, json(accepted).get("version").asInt());

            HttpResponse<String> second = post("/api/ops/projections/history/rebuild");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
            assertThat(second.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(json(second).get("errors").get(0).get("field").asText()).isEqualTo("name");

            HttpResponse<String> cancelled = send(request("/api/ops/projections/history/rebuild", "ops").DELETE().build());
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
            assertThat(json(cancelled).get("status").asText()).isEqualTo("CANCELLED");
            assertThat(catalog.live(Projections.HISTORY)).isEqualTo(live);
            assertThat(catalog.entry(Projections.HISTORY).rebuilding()).isNull();
            assertThat(processors.running(building)).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> catalog.entry(Projections.HISTORY).retired().isEmpty());
            assertThat(mongo.collectionExists(building.collection("history_items"))).isFalse();
            assertThat(send(request("/api/ops/projections/history/rebuild", "ops").DELETE().build()).statusCode())
                    .isEqualTo(404);
        } finally {
            processors.start();
        }
        assertThat(get("/api/customers/c-5/history", "reader").statusCode()).isEqualTo(200);
    }

    @Test
    void aRebuildSurvivesARestartOfTheProcessors() {
        int live = catalog.live(Projections.DIRECTORY);
        ProjectionVersion building = catalog.startRebuild(Projections.DIRECTORY, "ops");
        processors.stop();
        assertThat(processors.running(building)).isEmpty();
        assertThat(catalog.entry(Projections.DIRECTORY).rebuilding()).isEqualTo(building.version());

        processors.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> catalog.live(Projections.DIRECTORY) == building.version());
        assertThat(building.version()).isGreaterThan(live);
        assertThat(json(get("/api/customers?limit=500", "reader")).get("items").size()).isGreaterThanOrEqualTo(CUSTOMERS);
    }

    @Test
    void aProcessorStartedAgainReportsTheLatencyOfWhatItHandles() {
        publishRegistrationAged("latency-1", Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> valueLatencyMillis() >= Duration.ofHours(1).toMillis());

        processors.stop();
        processors.start();
        publishRegistrationAged("latency-2", Duration.ofDays(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> valueLatencyMillis() >= Duration.ofDays(1).toMillis());
    }

    /**
     * Entries without a registration date (the directory never applied the registration: ops dropped its dead letter)
     * are listed by registration date in both orders, every entry once, whichever page boundary falls on or before
     * them. Before, a cursor on one skipped the others ascending, and descending none was reached after the first page.
     */
    @Test
    void customersWithoutARegistrationDateArePagedByRegistrationDateInBothOrders() {
        List<String> unregistered = List.of("unregistered-1", "unregistered-2", "unregistered-3", "unregistered-4");
        for (String id : unregistered) {
            append(Events.of(id).contact("k-" + id, ContactChannel.EMAIL, "2025-09-02T00:00:00Z"));
        }
        awaitLiveCaughtUp();
        for (String sort : List.of("registeredAt", "-registeredAt")) {
            List<String> paged = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = json(get("/api/customers?limit=2&sort=" + sort
                        + (cursor == null ? "" : "&cursor=" + cursor), "reader"));
                page.get("items").forEach(item -> paged.add(item.get("customerId").asText()));
                cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
            } while (cursor != null);
            assertThat(paged).as(sort).doesNotHaveDuplicates().containsAll(unregistered).hasSizeGreaterThan(CUSTOMERS);
            List<String> byPage = sort.startsWith("-") ? paged.subList(paged.size() - 4, paged.size()) : paged.subList(0, 4);
            assertThat(byPage).as("%s: entries without the date sort as MongoDB sorts a missing value", sort)
                    .containsExactlyInAnyOrderElementsOf(unregistered);
        }
    }

    @Test
    void unknownProjectionsAndRolesAreRefused() {
        HttpResponse<String> unknown = post("/api/ops/projections/nonsense/rebuild");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("errors").get(0).get("field").asText()).isEqualTo("name");
        HttpResponse<String> asReader = send(request("/api/ops/projections/value/rebuild", "reader")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(asReader.statusCode()).isEqualTo(403);
        List<String> before = versions("value");
        HttpResponse<String> asCsv = send(request("/api/ops/projections/value/rebuild", "ops").header("Accept", "text/csv")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(asCsv.statusCode()).as("refused before starting, not after").isEqualTo(406);
        assertThat(json(asCsv).get("errors").get(0).get("field").asText()).isEqualTo("Accept");
        assertThat(versions("value")).as("no rebuild started (nor finished)").isEqualTo(before).hasSize(1);
    }

    @Test
    void aDeadLetterVersionBelowOneIsRefusedNamingIt() {
        List<HttpResponse<String>> refused = List.of(
                get("/api/ops/projections/value/dead-letters?version=0", "ops"),
                post("/api/ops/projections/value/dead-letters/retry?version=-1"),
                post("/api/ops/projections/value/dead-letters/c-1/retry?version=0"),
                send(request("/api/ops/projections/value/dead-letters/c-1?version=-1", "ops").DELETE().build()));

        for (HttpResponse<String> response : refused) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(json(response).get("errors").get(0).get("field").asText()).isEqualTo("version");
            assertThat(json(response).get("errors").get(0).get("reason").asText()).isEqualTo("must be 1 or more");
        }
    }

    /**
     * A history asked for at a version shows the segment changes that version caused, which come from the segment
     * read model: while that one is behind, the read waits and then answers 503, as for any other read model.
     */
    @Test
    void aHistoryAskedForAtAVersionWaitsForItsSegmentChangesToo() throws Exception {
        ProjectionProcessors.Running segment = processors.live(Projections.SEGMENT).orElseThrow();
        segment.processor().shutdownAsync().get(30, TimeUnit.SECONDS);
        try {
            append(Events.of("rw-1").registered("Rita Read", null, "2025-03-01T00:00:00Z"));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    get("/api/customers/rw-1/history?minVersion=0&types=REGISTERED", "reader").statusCode() == 200);

            HttpResponse<String> behind = get("/api/customers/rw-1/history?minVersion=0", "reader");
            assertThat(behind.statusCode()).as(behind.body()).isEqualTo(503);
        } finally {
            segment.processor().start();
        }
        HttpResponse<String> caughtUp = get("/api/customers/rw-1/history?minVersion=0", "reader");
        assertThat(caughtUp.statusCode()).as(caughtUp.body()).isEqualTo(200);
        assertThat(caughtUp.body()).contains("SEGMENT_CHANGED");
    }

    /**
     * The read models that see personal fields read events through the revealing upcaster: an event of theirs that is
     * not even JSON is dead-lettered there too, with its stored bytes, and the customer's later events wait behind it.
     * Before, the upcast view failed again when the letter was written, and the processors retried the batch for ever.
     */
    @Test
    @Order(Integer.MAX_VALUE - 2)
    void anUnreadableEventWithPersonalFieldsIsDeadLetteredByTheReadModelsThatRevealThem() throws Exception {
        append(Events.of("garbled").registered("Gil Garbled", "gil@example.com", "2025-02-01T00:00:00Z"));
        insertUnreadable("garbled", 1, CustomerProfileUpdated.class);
        append(Events.of("garbled").registered("Gil Garbled", "gil@example.com", "2025-02-01T00:00:00Z")
                .profileUpdated("Gil Garbled", "gil@example.org", "2025-02-02T00:00:00Z")
                .contact("g-k", ContactChannel.PHONE, "2025-02-03T00:00:00Z"), 2);

        awaitLiveCaughtUp();
        for (String projection : List.of(Projections.DIRECTORY, Projections.HISTORY)) {
            JsonNode sequence = json(get("/api/ops/projections/" + projection + "/dead-letters", "ops")).get("items").get(0);
            assertThat(sequence.get("sequenceId").asText()).as(projection).isEqualTo("garbled");
            assertThat(sequence.get("letters")).extracting(letter -> letter.get("aggregateSequence").asLong())
                    .as("%s: the later contact waits behind the unreadable event", projection).containsExactly(1L, 2L);
            HttpResponse<String> retried = post("/api/ops/projections/" + projection + "/dead-letters/garbled/retry");
            assertThat(json(retried).get("failed").asInt()).as("still unreadable").isEqualTo(1);
        }
        // Every read model that handles the event holds it (those that hide personal fields did before): ops drop it.
        for (String projection : Projections.ALL) {
            HttpResponse<String> dropped = send(request("/api/ops/projections/" + projection + "/dead-letters/garbled", "ops")
                    .DELETE().build());
            assertThat(dropped.statusCode()).as(projection + ": " + dropped.body()).isIn(200, 404);
            assertThat(json(get("/api/ops/projections/" + projection + "/dead-letters", "ops")).get("sequences").asLong())
                    .as(projection).isZero();
        }
    }

    @Test
    @Order(Integer.MAX_VALUE - 1)
    void aPoisonEventIsDeadLetteredWhileEveryoneElseCarriesOnAndOpsRetryOrDropIt() throws Exception {
        TrackingToken beforePoison = eventStore.createHeadToken();
        append(Events.of("poison").registered("Pat Poison", null, "2025-02-01T00:00:00Z"));
        insertUnreadablePurchase("poison", 1);
        append(Events.of("poison").registered("Pat Poison", null, "2025-02-01T00:00:00Z")
                .purchase("p-1", "1.00", "EUR", "2025-02-02T00:00:00Z")
                .contact("p-k", ContactChannel.PHONE, "2025-02-03T00:00:00Z"), 2);
        append(Events.of("healthy").registered("Hal Healthy", null, "2025-02-01T00:00:00Z")
                .purchase("h-1", "5.00", "EUR", "2025-02-02T00:00:00Z"));

        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/customers/healthy/value?minVersion=1", "reader")
                .statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> json(get("/api/ops/projections/value/dead-letters", "ops"))
                .get("letters").asLong() == 2);
        JsonNode letters = json(get("/api/ops/projections/value/dead-letters", "ops"));
        assertThat(letters.get("sequences").asLong()).isEqualTo(1);
        JsonNode sequence = letters.get("items").get(0);
        assertThat(sequence.get("sequenceId").asText()).isEqualTo("poison");
        assertThat(sequence.get("letters").get(0).get("aggregateSequence").asLong()).isEqualTo(1);
        assertThat(sequence.get("letters").get(0).get("causeMessage").asText()).isNotBlank();
        assertThat(sequence.get("letters").get(1).get("aggregateSequence").asLong())
                .as("the customer's later event waits behind the poison one").isEqualTo(2);
        // The customer's state stops before the poison event; everyone else is served.
        assertThat(json(get("/api/customers/poison/value", "reader")).get("orderCount").asInt()).isZero();
        assertThat(json(get("/api/customers/healthy/value", "reader")).get("orderCount").asInt()).isEqualTo(1);
        awaitLiveCaughtUp();

        // A crash after the letters were written but before the batch's token: the events come again.
        String valueProcessor = processors.live(Projections.VALUE).orElseThrow().version().processorName();
        processors.stop();
        tokenStore.storeToken(beforePoison, valueProcessor, 0);
        tokenStore.releaseClaim(valueProcessor, 0);
        processors.start();
        awaitLiveCaughtUp();
        assertThat(json(get("/api/ops/projections/value/dead-letters", "ops")).get("letters").asLong())
                .as("an event delivered again is not dead-lettered twice").isEqualTo(2);
        assertThat(json(get("/api/customers/healthy/value", "reader")).get("orderCount").asInt()).isEqualTo(1);

        assertThat(get("/actuator/prometheus", "ops").body()).contains("crm_projection_dead_letters{projection=\"value\"} 2.0");
        JsonNode health = json(get("/actuator/health", "ops"));
        assertThat(health.get("components").get("projections").get("details").get("value").get("deadLetters").asLong())
                .isEqualTo(2);
        assertThat(health.get("status").asText()).isEqualTo("UP");

        HttpResponse<String> retried = post("/api/ops/projections/value/dead-letters/poison/retry");
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(json(retried).get("failed").asInt()).as("still unreadable").isEqualTo(1);

        HttpResponse<String> dropped = send(request("/api/ops/projections/value/dead-letters/poison", "ops").DELETE().build());
        assertThat(dropped.statusCode()).as(dropped.body()).isEqualTo(200);
        assertThat(json(dropped).get("dropped").asInt()).isEqualTo(2);
        assertThat(json(get("/api/ops/projections/value/dead-letters", "ops")).get("sequences").asLong()).isZero();
        assertThat(send(request("/api/ops/projections/value/dead-letters/poison", "ops").DELETE().build()).statusCode())
                .isEqualTo(404);

        // A letter from a batch not stored yet (its token ahead of the processor's): a retry now would apply it over
        // the customer's earlier events of that batch, never written; it waits until the batch is delivered again.
        EventMessage<?> ahead = new GenericTrackedDomainEventMessage<>(
                GapAwareTrackingToken.newInstance(Long.MAX_VALUE / 2, List.of()), new GenericDomainEventMessage<>(
                "Customer", "ahead", 0, Events.of("ahead").registered("Ari Ahead", null, "2025-03-01T00:00:00Z")
                .last().event()));
        processors.live(Projections.VALUE).orElseThrow().deadLetters()
                .enqueue("ahead", new GenericDeadLetter<>("ahead", ahead, new IllegalStateException("failed")));
        HttpResponse<String> tooEarly = post("/api/ops/projections/value/dead-letters/ahead/retry");
        assertThat(tooEarly.statusCode()).as(tooEarly.body()).isEqualTo(409);
        assertThat(tooEarly.body()).contains("sequenceId", "not stored yet");
        HttpResponse<String> allTooEarly = post("/api/ops/projections/value/dead-letters/retry");
        assertThat(json(allTooEarly).get("waiting").asInt()).as(allTooEarly.body()).isEqualTo(1);
        assertThat(json(allTooEarly).get("sequencesLeft").asLong()).isEqualTo(1);
        assertThat(send(request("/api/ops/projections/value/dead-letters/ahead", "ops").DELETE().build()).statusCode())
                .isEqualTo(200);

        // A letter whose cause was fixed (here: a well-formed event put in the queue) is applied by a retry.
        EventMessage<?> fixed = new GenericDomainEventMessage<>("Customer", "fixed", 0,
                Events.of("fixed").registered("Fay Fixed", null, "2025-03-01T00:00:00Z").last().event());
        processors.live(Projections.VALUE).orElseThrow().deadLetters()
                .enqueue("fixed", new GenericDeadLetter<>("fixed", fixed, new IllegalStateException("was broken")));
        HttpResponse<String> retriedAll = post("/api/ops/projections/value/dead-letters/retry");
        assertThat(json(retriedAll).get("succeeded").asInt()).as(retriedAll.body()).isEqualTo(1);
        assertThat(json(retriedAll).get("sequencesLeft").asLong()).isZero();
        assertThat(get("/api/customers/fixed/value", "reader").statusCode()).isEqualTo(200);
    }

    /**
     * A rebuilt version that refused an event must not go live without it, the old version (which has it) being
     * dropped: it waits, caught up, until ops dealt with its dead letters.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aCaughtUpRebuildHoldingDeadLettersWaitsForOpsBeforeGoingLive() throws Exception {
        append(Events.of("held").registered("Hel Held", null, "2025-02-01T00:00:00Z"));
        insertUnreadablePurchase("held", 1);
        awaitLiveCaughtUp();
        int live = catalog.live(Projections.VALUE);

        HttpResponse<String> accepted = post("/api/ops/projections/value/rebuild");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        int building = json(accepted).get("version").asInt();
        String letters = "/api/ops/projections/value/dead-letters?version=" + building;
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode row = rebuildingRow(Projections.VALUE);
            return row != null && row.get("lag").asLong() == 0 && row.get("deadLetters").asLong() > 0;
        });
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> catalog.live(Projections.VALUE) == live && catalog.entry(Projections.VALUE).rebuilding() != null);

        for (JsonNode sequence : json(get(letters, "ops")).get("items")) {
            HttpResponse<String> dropped = send(request("/api/ops/projections/value/dead-letters/"
                    + sequence.get("sequenceId").asText() + "?version=" + building, "ops").DELETE().build());
            assertThat(dropped.statusCode()).as(dropped.body()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> catalog.live(Projections.VALUE) == building);
    }

    // --- helpers ---

    /** The customer's SEGMENT_CHANGED history items, oldest first (a REBUILD change is the newest in time). */
    private List<JsonNode> segmentChanges(String customerId) {
        List<JsonNode> changes = new ArrayList<>();
        for (JsonNode item : json(get("/api/customers/" + customerId + "/history?types=SEGMENT_CHANGED&order=asc&limit=200",
                "reader")).get("items")) {
            changes.add(item);
        }
        return changes;
    }

    private JsonNode rebuildingRow(String projection) {
        for (JsonNode row : json(get("/api/ops/projections", "ops"))) {
            if (row.get("name").asText().equals(projection) && row.get("status").asText().equals("REBUILDING")) {
                return row;
            }
        }
        return null;
    }

    /** A registration stored as if it had happened {@code age} ago, so Axon's latency gauge reads about that. */
    private void publishRegistrationAged(String customerId, Duration age) {
        CustomerEvent registered = Events.of(customerId).registered("Lee Latency", null, "2025-01-01T00:00:00Z")
                .last().event();
        eventStore.publish(new GenericDomainEventMessage<>("Customer", customerId, 0, registered,
                Map.of("principal", "test", "source", "api"), UUID.randomUUID().toString(), Instant.now().minus(age)));
    }

    private double valueLatencyMillis() {
        String processor = processors.live(Projections.VALUE).orElseThrow().version().processorName();
        return meters.get(processor + ".latency").gauge().value();
    }

    private int atRiskCount() {
        for (JsonNode segment : json(get("/api/segments", "reader")).get("segments")) {
            if (segment.get("name").asText().equals("AT_RISK")) {
                return segment.get("count").asInt();
            }
        }
        return 0;
    }

    /** A purchase whose stored payload is not valid JSON: no projection can read it. */
    private void insertUnreadablePurchase(String customerId, long sequence) {
        insertUnreadable(customerId, sequence, PurchaseRecorded.class);
    }

    /** A stored event of {@code type} whose payload is not JSON at all, as a damaged row would be. */
    private void insertUnreadable(String customerId, long sequence, Class<?> type) {
        String table = schema.domainEventTable();
        Map<String, Object> model = jdbc.queryForMap("SELECT * FROM " + table + " WHERE "
                + schema.payloadTypeColumn() + " LIKE '%PurchaseRecorded' FETCH FIRST 1 ROWS ONLY");
        jdbc.update("INSERT INTO " + table + " (" + String.join(", ", schema.eventIdentifierColumn(),
                        schema.aggregateIdentifierColumn(), schema.sequenceNumberColumn(), schema.typeColumn(),
                        schema.timestampColumn(), schema.payloadTypeColumn(), schema.payloadRevisionColumn(),
                        schema.payloadColumn(), schema.metaDataColumn()) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "poison-" + customerId + "-" + sequence, customerId, sequence, model.get(schema.typeColumn()),
                model.get(schema.timestampColumn()), type.getName(), model.get(schema.payloadRevisionColumn()),
                "{\"customerId\": \"".getBytes(StandardCharsets.UTF_8), model.get(schema.metaDataColumn()));
    }

    private void awaitLiveCaughtUp() {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            long head = eventStore.createHeadToken().position().orElse(-1);
            return Projections.ALL.stream().allMatch(projection -> processors.live(projection)
                    .map(running -> running.processor().processingStatus().values().stream().allMatch(status ->
                            status.getTrackingToken() != null && status.getTrackingToken().position().orElse(-1) >= head))
                    .orElse(false));
        });
    }

    private void check(String path, String expected, List<String> wrong) {
        HttpResponse<String> response = get(path, "reader");
        if (response.statusCode() != 200 || !response.body().equals(expected)) {
            wrong.add(path + " -> " + response.statusCode() + " " + response.body());
        }
    }

    private void append(Events events) {
        append(events, 0);
    }

    /** Appends the events from the {@code from}-th on. */
    private void append(Events events, int from) {
        List<EventEnvelope> envelopes = events.envelopes();
        for (EventEnvelope envelope : envelopes.subList(from, envelopes.size())) {
            CustomerEvent event = envelope.event();
            eventStore.publish(new GenericDomainEventMessage<>("Customer", envelope.customerId(), envelope.sequence(),
                    event, Map.of("principal", "test", "source", "api")));
        }
    }

    private HttpRequest.Builder request(String path, String user) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + user + "-secret").getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> get(String path, String user) {
        return send(request(path, user).GET().build());
    }

    /** Each version of a read model as "version status". */
    private List<String> versions(String projection) {
        List<String> versions = new ArrayList<>();
        json(get("/api/ops/projections/" + projection, "ops"))
                .forEach(version -> versions.add(version.get("version").asInt() + " " + version.get("status").asText()));
        return versions;
    }

    private HttpResponse<String> post(String path) {
        return send(request(path, "ops").POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
