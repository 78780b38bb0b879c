package io.crmhistory.command.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.api.messaging.MetadataKeys;
import io.crmhistory.command.customer.email.EmailClaims;
import io.crmhistory.platform.testing.OpenApiSnapshot;
import io.crmhistory.platform.testing.TemporaryDataDirectory;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.axonframework.springboot.TimeoutProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The command side over real HTTP on a random port, on the embedded event store in a temporary
 * data directory, with the clock fixed at 2026-01-01T00:00:00Z.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "crm.clock.fixed=2026-01-01T00:00:00Z",
        "crm.security.users.writer.password=writer-pw",
        "crm.security.users.writer.roles=writer",
        "crm.security.users.reader.password=reader-pw",
        "crm.security.users.reader.roles=reader",
        "crm.security.users.ops.password=ops-pw",
        "crm.security.users.ops.roles=ops,reader",
        "crm.security.bcrypt-strength=4",
        "crm.snapshot.threshold=50"})
class CommandSideHttpTest {

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
    @Qualifier("customerCache")
    Cache customerCache;
    @Autowired
    TransactionManager axonTransactionManager;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    EmailClaims emailClaims;
    @Autowired
    TimeoutProperties timeouts;
    @LocalServerPort
    int port;

    static final String WHEN = "2025-12-24T18:00:00+01:00";

    record Answer(int status, HttpHeaders headers, JsonNode body) {
        String field() {
            return body.path("errors").path(0).path("field").asText();
        }
    }

    Answer call(HttpMethod method, String path, String body, String user, MediaType type, HttpHeaders extra) {
        HttpHeaders headers = new HttpHeaders();
        if (type != null) {
            headers.setContentType(type);
        }
        if (user != null) {
            headers.setBasicAuth(user, user + "-pw");
        }
        if (extra != null) {
            headers.addAll(extra);
        }
        ResponseEntity<String> response = http.exchange(path, method, new HttpEntity<>(body, headers), String.class);
        try {
            JsonNode node = response.getBody() == null ? json.nullNode() : json.readTree(response.getBody());
            return new Answer(response.getStatusCode().value(), response.getHeaders(), node);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    Answer post(String path, String body) {
        return call(HttpMethod.POST, path, body, "writer", MediaType.APPLICATION_JSON, null);
    }

    String newCustomer() {
        String id = "c-" + UUID.randomUUID();
        Answer answer = post("/api/customers", "{\"customerId\":\"" + id + "\",\"name\":\"Ada\"}");
        assertThat(answer.status()).isEqualTo(201);
        return id;
    }

    /** An outbound email to the customer, recorded under {@code contactId}. */
    Answer emailContact(String customerId, String contactId) {
        return post("/api/customers/" + customerId + "/contacts", "{\"contactId\":\"" + contactId + "\","
                + "\"channel\":\"EMAIL\",\"direction\":\"OUTBOUND\",\"occurredAt\":\"" + WHEN + "\"}");
    }

    static String purchase(String orderId, String amount) {
        return "{\"orderId\":\"" + orderId + "\",\"occurredAt\":\"" + WHEN + "\",\"amount\":{\"value\":\"" + amount
                + "\",\"currency\":\"EUR\"}}";
    }

    /**
     * A body that breaks off after some lines (here a malformed chunk, as a broken client sends one): the lines read
     * are recorded, the importer logs how far it got (a client's problem: a warning, no stack trace), and the answer the
     * container gives is a problem like every other.
     */
    @Test
    void anImportWhoseBodyBreaksOffKeepsTheLinesReadAndAnswersAProblem() throws Exception {
        String lines = "{\"type\":\"RegisterCustomer\",\"customerId\":\"cut-1\",\"name\":\"Cut One\"}\n"
                + "{\"type\":\"RegisterCustomer\",\"customerId\":\"cut-2\",\"name\":\"Cut Two\"}\n";
        byte[] chunk = lines.getBytes(StandardCharsets.UTF_8);
        String response;
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
                    + "Authorization: Basic " + Base64.getEncoder().encodeToString("writer:writer-pw".getBytes(StandardCharsets.UTF_8))
                    + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf("cut-2").size() == 1);
            out.write("not-a-chunk-size\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 400").contains("Content-Type: application/problem+json")
                .contains("\"field\":\"request\"").doesNotContain("Exception");
        assertThat(eventsOf("cut-1")).hasSize(1);
        assertThat(eventsOf("cut-2")).hasSize(1);
    }

    /**
     * An encoded slash in a path: refused by Tomcat itself it got Tomcat's HTML page; handed on, Spring Security's
     * firewall refuses it as a problem naming the path.
     */
    @Test
    void aPathTheContainerRefusesIsAProblemToo() throws Exception {
        String response;
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /api/customers/a%2Fb/contacts HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 400").contains("Content-Type: application/problem+json")
                .contains("\"field\":\"path\"");
    }

    /** A Content-Type that is no media type was answered as if none had been sent ("missing; supported: "). */
    @Test
    void aContentTypeThatIsNoMediaTypeIsSaidToBeOne() throws Exception {
        String body = "{\"name\":\"Ada\"}";
        String response;
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /api/customers HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json;charset=bogus\r\nAuthorization: Basic "
                    + Base64.getEncoder().encodeToString("writer:writer-pw".getBytes(StandardCharsets.UTF_8))
                    + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 415").contains("Content-Type: application/problem+json")
                .contains("\"field\":\"Content-Type\"")
                .contains("'application/json;charset=bogus' is not a valid media type");
    }

    List<DomainEventMessage<?>> eventsOf(String customerId) {
        // from the first event, not from the latest snapshot
        return eventStore.readEvents(customerId, 0).asStream().collect(Collectors.toList());
    }

    /** A unit of work is still timed (a command, a processor's batch); the handler calls inside it are not. */
    @Test
    void unitsOfWorkAreTimedButNotEveryHandlerCallInThem() {
        assertThat(timeouts.isEnabled()).isTrue();
        assertThat(timeouts.getTransaction().getCommandBus().getTimeoutMs()).isEqualTo(60_000);
        assertThat(timeouts.getTransaction().getEventProcessors().getTimeoutMs()).isEqualTo(60_000);
        assertThat(List.of(timeouts.getHandler().getCommands(), timeouts.getHandler().getEvents(),
                timeouts.getHandler().getQueries())).allSatisfy(handler -> {
                    assertThat(handler.getTimeoutMs()).isEqualTo(-1);
                    assertThat(handler.getWarningThresholdMs()).isEqualTo(-1);
                });
    }

    @Test
    void registrationAnswersTheIdAndVersionAndStampsEveryEventWithWhoWhyAndWhere() {
        HttpHeaders correlation = new HttpHeaders();
        correlation.set("X-Correlation-Id", "ticket-4711");
        Answer registered = call(HttpMethod.POST, "/api/customers",
                "{\"customerId\":\"c-meta\",\"name\":\"Ada\",\"email\":\"ada.meta@example.com\",\"country\":\"GB\"}",
                "writer", MediaType.APPLICATION_JSON, correlation);

        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.body().path("customerId").asText()).isEqualTo("c-meta");
        assertThat(registered.body().path("version").asLong()).isZero();
        assertThat(registered.headers().getFirst("X-Correlation-Id")).isEqualTo("ticket-4711");
        assertThat(registered.headers().getLocation()).hasPath("/api/customers/c-meta");

        Answer bought = post("/api/customers/c-meta/purchases", purchase("o-1", "149.90"));
        assertThat(bought.status()).isEqualTo(201);
        assertThat(bought.body().path("version").asLong()).as("purchase and the move to ACTIVE").isEqualTo(2);
        String generated = bought.headers().getFirst("X-Correlation-Id");
        assertThat(generated).isNotBlank().isNotEqualTo("ticket-4711");

        List<DomainEventMessage<?>> events = eventsOf("c-meta");
        assertThat(events).hasSize(3);
        assertThat(events.get(0).getMetaData()).containsEntry(MetadataKeys.PRINCIPAL, "writer")
                .containsEntry(MetadataKeys.CORRELATION_ID, "ticket-4711")
                .containsEntry(MetadataKeys.SOURCE, MetadataKeys.SOURCE_API);
        assertThat(events.get(2).getMetaData()).containsEntry(MetadataKeys.CORRELATION_ID, generated);
        assertThat(events.get(2).getSequenceNumber()).isEqualTo(bought.body().path("version").asLong());
        PurchaseRecorded purchase = (PurchaseRecorded) events.get(1).getPayload();
        assertThat(purchase.occurredAt().toString()).isEqualTo("2025-12-24T18:00+01:00");
    }

    @Test
    void anIdempotentRetryAnswersLikeTheFirstTimeAndRecordsNothing() {
        String id = newCustomer();
        Answer first = post("/api/customers/" + id + "/purchases", purchase("o-1", "10.00"));
        Answer retry = post("/api/customers/" + id + "/purchases", purchase("o-1", "10.0"));
        Answer different = post("/api/customers/" + id + "/purchases", purchase("o-1", "11.00"));

        assertThat(retry.status()).isEqualTo(first.status()).isEqualTo(201);
        assertThat(retry.body().path("version")).isEqualTo(first.body().path("version"));
        assertThat(retry.body().path("recorded").asBoolean()).isFalse();
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.field()).isEqualTo("orderId");
        assertThat(eventsOf(id)).hasSize(3);
    }

    @ParameterizedTest(name = "{0} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON            | {"orderId": "o-1",                                                                       | 400 | body
            wrong type                | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR"}, "lines": [{"sku": "a", "quantity": "two", "unitPrice": {"value": "1", "currency": "EUR"}}]} | 400 | lines[0].quantity
            missing amount            | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z"}                                | 400 | amount
            missing order id          | {"occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR"}}     | 400 | orderId
            unknown enum value        | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR"}, "channel": "PIGEON"} | 400 | channel
            enum by position          | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR"}, "channel": 0} | 400 | channel
            enum by position as text  | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR"}, "channel": "0"} | 400 | channel
            text as a number          | {"orderId": 42, "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR"}} | 400 | orderId
            text as a boolean         | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": true}} | 400 | amount.currency
            bad currency              | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EURO"}} | 400 | amount.currency
            too many decimals         | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1.001", "currency": "EUR"}} | 400 | amount.value
            negative amount           | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "-1", "currency": "EUR"}} | 400 | amount.value
            money as a number string  | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "ten", "currency": "EUR"}} | 400 | amount.value
            lines not summing up      | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "3", "currency": "EUR"}, "lines": [{"sku": "a", "quantity": 1, "unitPrice": {"value": "1", "currency": "EUR"}}]} | 400 | lines
            far future                | {"orderId": "o-1", "occurredAt": "2026-01-01T00:05:01Z", "amount": {"value": "1", "currency": "EUR"}} | 400 | occurredAt
            before the year 1         | {"orderId": "o-1", "occurredAt": "-0001-12-31T00:00:00Z", "amount": {"value": "1", "currency": "EUR"}} | 400 | occurredAt
            bad timestamp             | {"orderId": "o-1", "occurredAt": "yesterday", "amount": {"value": "1", "currency": "EUR"}} | 400 | occurredAt
            a number for a time       | {"orderId": "o-1", "occurredAt": 1e64, "amount": {"value": "1", "currency": "EUR"}} | 400 | occurredAt
            epoch seconds for a time  | {"orderId": "o-1", "occurredAt": 1735000000, "amount": {"value": "1", "currency": "EUR"}} | 400 | occurredAt
            bad order id              | {"orderId": "o 1/x", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR"}} | 400 | orderId
            an order no URL can name  | {"orderId": "..", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR"}} | 400 | orderId
            not an object             | [1, 2]                                                                                  | 400 | body
            huge exponent             | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1E+999999999", "currency": "EUR"}, "lines": [{"sku": "a", "quantity": 1, "unitPrice": {"value": "1", "currency": "EUR"}}]} | 400 | amount.value
            an exponent at int's edge | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1E+2147483647", "currency": "EUR"}, "lines": [{"sku": "a", "quantity": 1, "unitPrice": {"value": "1E+2147483647", "currency": "EUR"}}]} | 400 | amount.value
            the same without lines    | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1E+2147483647", "currency": "EUR"}} | 400 | amount.value
            zero with a huge scale    | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "0E-999999999", "currency": "EUR"}, "lines": [{"sku": "a", "quantity": 1, "unitPrice": {"value": "1", "currency": "EUR"}}]} | 400 | amount.value
            a line price so written   | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "0", "currency": "EUR"}, "lines": [{"sku": "a", "quantity": 1, "unitPrice": {"value": "0E-999999999", "currency": "EUR"}}]} | 400 | lines[0].unitPrice.value
            a fractional quantity     | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1.5", "currency": "EUR"}, "lines": [{"sku": "a", "quantity": 1.5, "unitPrice": {"value": "1", "currency": "EUR"}}]} | 400 | lines[0].quantity
            a null line               | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR"}, "lines": [null]} | 400 | lines[0]
            a mistyped field          | {"orderId": "o-1", "occuredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR"}} | 400 | occuredAt
            a mistyped nested field   | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR", "rate": 2}} | 400 | amount.rate
            an amount given twice     | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR"}, "amount": {"value": "900", "currency": "EUR"}} | 400 | amount
            a nested field twice      | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "value": "900", "currency": "EUR"}} | 400 | amount.value
            text after the JSON       | {"orderId": "o-1", "occurredAt": "2025-12-24T18:00:00Z", "amount": {"value": "1", "currency": "EUR"}} junk | 400 | body
            """)
    void everyBadPurchaseIsAProblemNamingTheField(String what, String body, int status, String field) {
        String id = newCustomer();
        Answer answer = post("/api/customers/" + id + "/purchases", body);

        assertThat(answer.status()).as(what).isEqualTo(status);
        assertThat(answer.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.body().path("errors")).as(what + ": " + answer.body())
                .anySatisfy(error -> assertThat(error.path("field").asText()).isEqualTo(field));
        assertThat(answer.body().toString()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void otherBadInputIsAProblemNamingTheFieldToo() {
        String id = newCustomer();
        assertThat(post("/api/customers", "{\"name\":\"Ada\",\"country\":\"Germany\"}").field()).isEqualTo("country");
        assertThat(post("/api/customers", "{\"name\":\"Ada\",\"customerId\":\"bad id\"}").field()).isEqualTo("customerId");
        assertThat(post("/api/customers", "{\"name\":\"Ada\",\"customerId\":\".\"}").field()).isEqualTo("customerId");
        assertThat(post("/api/customers", "{\"name\":\"Ada\",\"customerId\":\"...\"}").status()).isEqualTo(201);
        assertThat(post("/api/customers", "{\"email\":\"x@example.com\"}").field()).isEqualTo("name");
        Answer ruleBookId = post("/api/customers", "{\"name\":\"Ada\",\"customerId\":\"segmentation-rules\"}");
        assertThat(ruleBookId.status()).isEqualTo(400);
        assertThat(ruleBookId.field()).isEqualTo("customerId");
        Answer refund = post("/api/customers/" + id + "/purchases/o-1/refunds",
                "{\"refundId\":\"r-1\",\"occurredAt\":\"" + WHEN + "\",\"amount\":{\"value\":\"0\",\"currency\":\"EUR\"}}");
        assertThat(refund.status()).isEqualTo(400);
        assertThat(refund.field()).isEqualTo("amount.value");
        Answer status = post("/api/customers/" + id + "/status", "{\"status\":\"SLEEPING\",\"reason\":\"x\"}");
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.field()).isEqualTo("status");
        assertThat(status.body().path("errors").path(0).path("reason").asText()).contains("LEAD", "CHURNED");
        Answer mistyped = post("/api/customers/" + id + "/status",
                "{\"status\":\"CHURNED\",\"reason\":\"x\",\"effectiveAT\":\"" + WHEN + "\"}");
        assertThat(mistyped.status()).as("not recorded as of now").isEqualTo(400);
        assertThat(mistyped.field()).isEqualTo("effectiveAT");
        assertThat(mistyped.body().path("errors").path(0).path("reason").asText()).contains("effectiveAt");
        Answer queried = post("/api/customers/" + id + "/status?effectiveAt=" + WHEN, "{\"status\":\"CHURNED\",\"reason\":\"x\"}");
        assertThat(queried.status()).as("a body field sent as a query parameter is not silently dropped").isEqualTo(400);
        assertThat(queried.field()).isEqualTo("effectiveAt");
    }

    @Test
    void unknownCustomersAndOrdersAreNotFound() {
        Answer unknownCustomer = post("/api/customers/nobody/purchases", purchase("o-1", "1"));
        assertThat(unknownCustomer.status()).isEqualTo(404);
        assertThat(unknownCustomer.field()).isEqualTo("customerId");

        Answer patch = call(HttpMethod.PATCH, "/api/customers/nobody", "{\"name\":\"X\"}", "writer", MediaType.APPLICATION_JSON, null);
        assertThat(patch.status()).isEqualTo(404);

        String id = newCustomer();
        Answer unknownOrder = post("/api/customers/" + id + "/purchases/o-404/refunds",
                "{\"refundId\":\"r-1\",\"occurredAt\":\"" + WHEN + "\",\"amount\":{\"value\":\"1\",\"currency\":\"EUR\"}}");
        assertThat(unknownOrder.status()).isEqualTo(404);
        assertThat(unknownOrder.field()).isEqualTo("orderId");

        Answer unknownPath = call(HttpMethod.GET, "/api/nothing-here", null, "writer", null, null);
        assertThat(unknownPath.status()).isEqualTo(404);
        assertThat(unknownPath.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(unknownPath.field()).isEqualTo("path");
    }

    @Test
    void conflictsAre409WithTheReason() {
        String id = newCustomer();
        assertThat(post("/api/customers", "{\"customerId\":\"" + id + "\",\"name\":\"Ada\"}").status()).isEqualTo(409);

        post("/api/customers/" + id + "/purchases", purchase("o-1", "100.00"));
        Answer tooMuch = post("/api/customers/" + id + "/purchases/o-1/refunds",
                "{\"refundId\":\"r-1\",\"occurredAt\":\"" + WHEN + "\",\"amount\":{\"value\":\"100.01\",\"currency\":\"EUR\"}}");
        assertThat(tooMuch.status()).isEqualTo(409);
        assertThat(tooMuch.field()).isEqualTo("amount");
        // The facts come in the order the aggregate names them, in every JVM (they were a Map.of, whose order is not).
        assertThat(fieldNamesOf(tooMuch.body()))
                .containsSubsequence("paid", "refunded", "refundable");

        Answer transition = post("/api/customers/" + id + "/status", "{\"status\":\"PROSPECT\",\"reason\":\"x\"}");
        assertThat(transition.status()).isEqualTo(409);
        assertThat(transition.body().path("allowedTransitions").toString()).isEqualTo("[\"CHURNED\",\"INACTIVE\"]");
        assertThat(fieldNamesOf(transition.body()))
                .containsSubsequence("currentStatus", "allowedTransitions");

        Answer allowed = post("/api/customers/" + id + "/status", "{\"status\":\"INACTIVE\",\"reason\":\"quiet\"}");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.body().path("status").asText()).isEqualTo("INACTIVE");
    }

    private static List<String> fieldNamesOf(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void wrongMethodWrongMediaTypeAndOversizedBodiesAreProblems() {
        String id = newCustomer();
        Answer method = call(HttpMethod.PUT, "/api/customers/" + id + "/purchases", purchase("o-1", "1"), "writer",
                MediaType.APPLICATION_JSON, null);
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);

        Answer mediaType = call(HttpMethod.POST, "/api/customers/" + id + "/purchases", purchase("o-1", "1"), "writer",
                MediaType.TEXT_PLAIN, null);
        assertThat(mediaType.status()).isEqualTo(415);
        assertThat(mediaType.field()).isEqualTo("Content-Type");
        assertThat(mediaType.body().path("errors").path(0).path("reason").asText())
                .startsWith("'text/plain' is not supported; supported: ").contains("application/json");

        HttpHeaders csv = new HttpHeaders();
        csv.setAccept(List.of(MediaType.parseMediaType("text/csv")));
        Answer accept = call(HttpMethod.POST, "/api/customers/" + id + "/purchases", purchase("o-2", "1"), "writer",
                MediaType.APPLICATION_JSON, csv);
        assertThat(accept.status()).isEqualTo(406);
        assertThat(accept.field()).isEqualTo("Accept");
        assertThat(accept.body().path("errors").path(0).path("reason").asText()).contains("'text/csv'", "application/json");

        // An Accept header Spring cannot parse: the problem comes with its body (it came with none).
        HttpHeaders unparseable = new HttpHeaders();
        unparseable.set(HttpHeaders.ACCEPT, "json");
        Answer garbled = call(HttpMethod.POST, "/api/customers/" + id + "/purchases", purchase("o-2", "1"), "writer",
                MediaType.APPLICATION_JSON, unparseable);
        assertThat(garbled.status()).isBetween(400, 499);
        assertThat(garbled.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(garbled.field()).isEqualTo("Accept");

        String huge = "{\"name\":\"" + "x".repeat(1_100_000) + "\"}";
        Answer tooLarge = post("/api/customers", huge);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);

        // refused by Spring Security's firewall before any controller
        Answer semicolon = post("/api/customers/" + id + ";x=1/purchases", purchase("o-1", "1"));
        assertThat(semicolon.status()).isEqualTo(400);
        assertThat(semicolon.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(semicolon.field()).isEqualTo("path");
    }

    @Test
    void credentialsAndRolesAreRequired() throws Exception {
        Answer anonymous = call(HttpMethod.POST, "/api/customers", "{\"name\":\"Ada\"}", null, MediaType.APPLICATION_JSON, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(anonymous.headers().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");

        HttpHeaders wrongPassword = new HttpHeaders();
        wrongPassword.setBasicAuth("writer", "guess");
        assertThat(call(HttpMethod.POST, "/api/customers", "{\"name\":\"Ada\"}", null, MediaType.APPLICATION_JSON,
                wrongPassword).status()).isEqualTo(401);

        Answer reader = call(HttpMethod.POST, "/api/customers", "{\"name\":\"Ada\"}", "reader", MediaType.APPLICATION_JSON, null);
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);

        Answer writerPublishing = call(HttpMethod.PUT, "/api/segmentation-rules", "{}", "writer", MediaType.APPLICATION_JSON, null);
        assertThat(writerPublishing.status()).isEqualTo(403);

        // A browser posting for another site's page, with the writer's remembered credentials: refused before them.
        HttpHeaders fromAnotherSite = new HttpHeaders();
        fromAnotherSite.set("Sec-Fetch-Site", "cross-site");
        Answer forged = call(HttpMethod.POST, "/api/customers", "{\"name\":\"Ada\"}", "writer", MediaType.APPLICATION_JSON,
                fromAnotherSite);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.field()).isEqualTo("Origin");

        assertThat(call(HttpMethod.GET, "/actuator/health", null, null, null, null).status()).isEqualTo(200);
        String apiDocs = http.getForEntity("/v3/api-docs", String.class).getBody();
        OpenApiSnapshot.assertMatches(apiDocs, "command-side.json");
        ResponseEntity<String> yaml = http.getForEntity("/v3/api-docs.yaml", String.class);
        assertThat(yaml.getStatusCode().value()).as("the YAML form is as public as the JSON").isEqualTo(200);
        assertThat(yaml.getBody()).startsWith("openapi: 3");
        JsonNode amount = json.readTree(apiDocs).at("/components/schemas/Purchase/properties/amount/properties");
        assertThat(amount.at("/value/type").asText()).as("money travels as a decimal string").isEqualTo("string");
        assertThat(amount.has("negative")).as("a derived property a request must not send").isFalse();
    }

    @Test
    void segmentationRulesArePublishedAsNewVersionsAndCheckedInTheSandbox() throws Exception {
        String rules = """
                {"recencyDays": [30, 90, 180, 365], "frequencyOrders": [2, 3, 5, 10],
                 "monetary": ["100", "500", "1000", "5000"],
                 "segments": [{"name": "BIG", "when": "m >= 5"}], "fallback": "REST"}""";
        Answer published = call(HttpMethod.PUT, "/api/segmentation-rules", rules, "ops", MediaType.APPLICATION_JSON, null);
        assertThat(published.status()).isEqualTo(200);
        int version = published.body().path("version").asInt();
        assertThat(version).isGreaterThanOrEqualTo(2);

        String attack = rules.replace("m >= 5", "T(java.lang.Runtime).getRuntime().exec('id') != null");
        Answer refused = call(HttpMethod.PUT, "/api/segmentation-rules", attack, "ops", MediaType.APPLICATION_JSON, null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.field()).isEqualTo("segments[0].when");

        Answer badThresholds = call(HttpMethod.PUT, "/api/segmentation-rules", rules.replace("[30, 90, 180, 365]", "[30, 20, 180, 365]"),
                "ops", MediaType.APPLICATION_JSON, null);
        assertThat(badThresholds.field()).isEqualTo("recencyDays[1]");
    }

    @Test
    void concurrentWritersOnOneCustomerLoseAndDuplicateNothing() throws Exception {
        String id = newCustomer();
        int writers = 8;
        int purchasesEach = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Callable<List<Integer>> task = () -> {
                    start.await();
                    List<Integer> statuses = new ArrayList<>();
                    for (int p = 0; p < purchasesEach; p++) {
                        statuses.add(post("/api/customers/" + id + "/purchases", purchase("o-" + writer + "-" + p, "1.00")).status());
                    }
                    return statuses;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<List<Integer>> result : results) {
                assertThat(result.get()).containsOnly(201);
            }
        } finally {
            pool.shutdownNow();
        }
        List<DomainEventMessage<?>> events = eventsOf(id);
        assertThat(events.stream().filter(e -> e.getPayload() instanceof PurchaseRecorded)).hasSize(writers * purchasesEach);
        assertThat(events.stream().filter(e -> e.getPayload() instanceof PurchaseRecorded)
                .map(e -> ((PurchaseRecorded) e.getPayload()).orderId()).distinct()
                .count()).isEqualTo(writers * purchasesEach);
        assertThat(events).extracting(DomainEventMessage::getSequenceNumber)
                .containsExactlyElementsOf(IntStream.range(0, events.size()).mapToObj(i -> (long) i).toList());
    }

    @Test
    void anEmailBelongsToOneCustomerEvenUnderConcurrentRegistration() throws Exception {
        assertThat(post("/api/customers", "{\"customerId\":\"mail-1\",\"name\":\"A\",\"email\":\"shared@example.com\"}").status())
                .isEqualTo(201);
        Answer taken = post("/api/customers", "{\"customerId\":\"mail-2\",\"name\":\"B\",\"email\":\" Shared@Example.com\"}");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.field()).isEqualTo("email");

        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String body = "{\"customerId\":\"race-" + i + "\",\"name\":\"R\",\"email\":\"race@example.com\"}";
                answers.add(pool.submit(() -> {
                    start.await();
                    return post("/api/customers", body);
                }));
            }
            start.countDown();
            List<Answer> all = new ArrayList<>();
            for (Future<Answer> answer : answers) {
                all.add(answer.get());
            }
            assertThat(all).filteredOn(a -> a.status() == 201).hasSize(1);
            assertThat(all).filteredOn(a -> a.status() == 409).hasSize(racers - 1)
                    .allSatisfy(a -> assertThat(a.field()).isEqualTo("email"));
        } finally {
            pool.shutdownNow();
        }

        // Changing the address releases the old one for others.
        assertThat(call(HttpMethod.PATCH, "/api/customers/mail-1", "{\"email\":\"moved@example.com\"}", "writer",
                MediaType.APPLICATION_JSON, null).status()).isEqualTo(200);
        assertThat(post("/api/customers", "{\"customerId\":\"mail-3\",\"name\":\"C\",\"email\":\"shared@example.com\"}").status())
                .isEqualTo(201);
    }

    @Test
    void emailClaimsCommitAndRollBackWithTheCommandsTransaction() {
        assertThat(axonTransactionManager).isInstanceOf(SpringTransactionManager.class);
        transactions.executeWithoutResult(status -> {
            emailClaims.claim("tx-1", "rolled-back@example.com");
            status.setRollbackOnly();
        });
        transactions.executeWithoutResult(status -> emailClaims.claim("tx-2", "rolled-back@example.com"));
        assertThat(jdbc.queryForObject("SELECT customer_id FROM email_claims WHERE customer_id LIKE 'tx-%'", String.class))
                .isEqualTo("tx-2");
    }

    @Test
    void aLongHistoryIsSnapshottedAndStillKnowsEveryId() {
        String id = newCustomer();
        for (int i = 0; i < 60; i++) {
            Answer contact = emailContact(id, "k-" + i);
            assertThat(contact.status()).isEqualTo(201);
        }
        Integer snapshots = jdbc.queryForObject("SELECT COUNT(*) FROM SnapshotEventEntry WHERE aggregateIdentifier = ?",
                Integer.class, id);
        assertThat(snapshots).isEqualTo(1);

        Answer retry = emailContact(id, "k-0");
        assertThat(retry.body().path("recorded").asBoolean()).isFalse();
        assertThat(retry.body().path("version").asLong()).as("as its first call answered").isEqualTo(1);
    }

    /**
     * A snapshot of the aggregate's earlier shape (revision 1: no first answers) is passed over: the customer is sourced
     * from its events, and a retry still answers the version of its first call.
     */
    @Test
    void aSnapshotOfAnEarlierShapeIsPassedOver() throws Exception {
        String id = newCustomer();
        for (int i = 0; i < 60; i++) {
            emailContact(id, "k-" + i);
        }
        byte[] stored = jdbc.queryForObject("SELECT payload FROM SnapshotEventEntry WHERE aggregateIdentifier = ?",
                byte[].class, id);
        ObjectNode earlierShape = (ObjectNode) json.readTree(stored);
        assertThat(earlierShape.remove("firstAnswers")).isNotNull();
        jdbc.update("UPDATE SnapshotEventEntry SET payload = ?, payloadRevision = NULL WHERE aggregateIdentifier = ?",
                json.writeValueAsBytes(earlierShape), id);
        customerCache.removeAll();

        Answer retry = emailContact(id, "k-0");
        assertThat(retry.body().path("recorded").asBoolean()).isFalse();
        assertThat(retry.body().path("version").asLong()).isEqualTo(1);
    }

    @Test
    void anImportCountsWhatItRecordedRejectedAndAlreadyKnewAndASecondRunRecordsNothing() {
        assertThat(post("/api/customers", "{\"customerId\":\"imp-owner\",\"name\":\"O\",\"email\":\"owned@example.com\"}")
                .status()).isEqualTo(201);
        String ndjson = String.join("\n",
                "{\"type\":\"RegisterCustomer\",\"customerId\":\"imp-1\",\"name\":\"Imported\",\"email\":\"imp-1@example.com\"}",
                "{\"type\":\"RecordPurchase\",\"customerId\":\"imp-1\",\"orderId\":\"o-1\",\"occurredAt\":\"2024-03-01T10:00:00Z\",\"amount\":{\"value\":\"20.00\",\"currency\":\"EUR\"}}",
                "{\"type\":\"RecordRefund\",\"customerId\":\"imp-1\",\"orderId\":\"o-1\",\"refundId\":\"r-1\",\"occurredAt\":\"2024-03-02T10:00:00Z\",\"amount\":{\"value\":\"5.00\",\"currency\":\"EUR\"}}",
                "{\"type\":\"RecordContact\",\"customerId\":\"imp-1\",\"channel\":\"PHONE\",\"direction\":\"INBOUND\",\"occurredAt\":\"2024-03-03T10:00:00Z\"}",
                "{\"type\":\"ChangeStatus\",\"customerId\":\"imp-1\",\"status\":\"INACTIVE\",\"reason\":\"quiet\",\"effectiveAt\":\"2025-03-01T00:00:00Z\"}",
                "{\"type\":\"UpdateProfile\",\"customerId\":\"imp-1\",\"phone\":\"+49 30 123456\"}",
                "",
                "this is not json",
                "{\"type\":\"RecordRefund\",\"customerId\":\"imp-1\",\"orderId\":\"o-1\",\"refundId\":\"r-2\",\"occurredAt\":\"2024-03-02T10:00:00Z\",\"amount\":{\"value\":\"15.01\",\"currency\":\"EUR\"}}",
                "{\"type\":\"RecordPurchase\",\"customerId\":\"nobody\",\"orderId\":\"o-1\",\"occurredAt\":\"2024-03-01T10:00:00Z\",\"amount\":{\"value\":\"1\",\"currency\":\"EUR\"}}",
                "{\"type\":\"Teleport\",\"customerId\":\"imp-1\"}",
                "{\"type\":\"RegisterCustomer\",\"customerId\":\"imp-2\",\"name\":\"Second\",\"email\":\"OWNED@example.com\"}");

        Answer first = call(HttpMethod.POST, "/api/import", ndjson, "writer", MediaType.APPLICATION_NDJSON, null);
        assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
        assertThat(first.body().path("errors").size()).as(first.body().toString()).isEqualTo(5);
        assertThat(first.body().path("accepted").asInt()).isEqualTo(6);
        assertThat(first.body().path("duplicates").asInt()).isZero();
        assertThat(first.body().path("rejected").asInt()).isEqualTo(5);
        assertThat(first.body().path("errors").findValuesAsText("line")).containsExactly("8", "9", "10", "11", "12");
        assertThat(first.body().path("errors").path(1).path("detail").asText()).startsWith("amount: refunds would exceed");
        assertThat(first.body().path("errors").path(4).path("detail").asText()).startsWith("email:");

        Answer second = call(HttpMethod.POST, "/api/import", ndjson, "writer", MediaType.APPLICATION_NDJSON, null);
        assertThat(second.body().path("accepted").asInt()).isZero();
        assertThat(second.body().path("duplicates").asInt()).isEqualTo(6);
        assertThat(second.body().path("rejected").asInt()).isEqualTo(5);

        List<DomainEventMessage<?>> events = eventsOf("imp-1");
        assertThat(events).hasSize(7);
        assertThat(events).allSatisfy(e -> assertThat(e.getMetaData())
                .containsEntry(MetadataKeys.SOURCE, MetadataKeys.SOURCE_IMPORT)
                .containsEntry(MetadataKeys.PRINCIPAL, "writer"));
    }

    /**
     * Imports derived a contact line's id from a plain SHA-256 of the line before the ids were keyed; a file imported
     * then and again now finds its contacts recorded instead of recording them twice.
     */
    @Test
    void aContactImportedBeforeTheIdsWereKeyedIsADuplicateWhenItsFileIsImportedAgain() throws Exception {
        assertThat(post("/api/customers", "{\"customerId\":\"imp-legacy\",\"name\":\"L\"}").status()).isEqualTo(201);
        String line = "{\"type\":\"RecordContact\",\"customerId\":\"imp-legacy\",\"channel\":\"PHONE\","
                + "\"direction\":\"INBOUND\",\"occurredAt\":\"2024-03-03T10:00:00Z\",\"notes\":\"asked for a refund\"}";
        String legacyId = "import-" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(line.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 40);
        // As the import before recorded it.
        assertThat(post("/api/customers/imp-legacy/contacts", "{\"contactId\":\"" + legacyId + "\",\"channel\":\"PHONE\","
                + "\"direction\":\"INBOUND\",\"occurredAt\":\"2024-03-03T10:00:00Z\",\"notes\":\"asked for a refund\"}")
                .status()).isEqualTo(201);

        Answer again = call(HttpMethod.POST, "/api/import", line, "writer", MediaType.APPLICATION_NDJSON, null);

        assertThat(again.body().path("duplicates").asInt()).as(again.body().toString()).isEqualTo(1);
        assertThat(again.body().path("accepted").asInt()).isZero();
        assertThat(eventsOf("imp-legacy")).hasSize(2);
    }

    /**
     * A rejected line rolls its batch back, and the batch is recorded again line by line. Every line recorded in the
     * rolled-back attempt must then be recorded again, not mistaken for a duplicate of itself: the aggregate cache
     * had kept the customers' states of the undone attempt, and their purchases were answered "duplicate" and lost.
     */
    @Test
    void anImportRefusesLinesRunTogetherAndOverlongLinesAndGoesOnWithTheNext() {
        String register = "{\"type\":\"RegisterCustomer\",\"customerId\":\"imp-joined\",\"name\":\"J\"}";
        String overlong = "{\"type\":\"RegisterCustomer\",\"customerId\":\"imp-long\",\"name\":\"L\",\"notes\":\""
                + "x".repeat(1 << 20) + "\"}";
        String ndjson = String.join("\r\n", register + register.replace("imp-joined", "imp-lost"), overlong,
                "{\"type\":\"RegisterCustomer\",\"customerId\":\"imp-after\",\"name\":\"A\"}");

        Answer answer = call(HttpMethod.POST, "/api/import", ndjson, "writer", MediaType.APPLICATION_NDJSON, null);

        assertThat(answer.body().path("accepted").asInt()).as(answer.body().toString()).isEqualTo(1);
        assertThat(answer.body().path("rejected").asInt()).isEqualTo(2);
        assertThat(answer.body().path("errors").findValuesAsText("line")).containsExactly("1", "2");
        assertThat(answer.body().path("errors").path(0).path("detail").asText()).startsWith("body:");
        assertThat(answer.body().path("errors").path(1).path("detail").asText())
                .isEqualTo("body: a line may have at most 1048576 characters");
        assertThat(eventsOf("imp-joined")).isEmpty();
        assertThat(eventsOf("imp-lost")).isEmpty();
        assertThat(eventsOf("imp-after")).hasSize(1);
    }

    @Test
    void anImportRefusesALineWithAFieldItsCommandDoesNotHave() {
        String ndjson = String.join("\n",
                "{\"type\":\"RegisterCustomer\",\"customerId\":\"imp-typo\",\"name\":\"T\",\"emial\":\"t@example.com\"}",
                "{\"type\":\"RegisterCustomer\",\"customerId\":\"imp-no-typo\",\"name\":\"N\"}");

        Answer answer = call(HttpMethod.POST, "/api/import", ndjson, "writer", MediaType.APPLICATION_NDJSON, null);

        assertThat(answer.body().path("accepted").asInt()).as(answer.body().toString()).isEqualTo(1);
        assertThat(answer.body().path("errors").path(0).path("detail").asText()).startsWith("emial: is not a field");
        assertThat(eventsOf("imp-typo")).isEmpty();
    }

    @Test
    void aLineRejectedInABatchLosesNoOtherLineOfIt() {
        StringBuilder ndjson = new StringBuilder();
        int customers = 60;
        for (int c = 0; c < customers; c++) {
            String id = "batch-" + c;
            ndjson.append("{\"type\":\"RegisterCustomer\",\"customerId\":\"").append(id).append("\",\"name\":\"N\"}\n");
            ndjson.append("{\"type\":\"RecordPurchase\",\"customerId\":\"").append(id)
                    .append("\",\"orderId\":\"o-1\",\"occurredAt\":\"2024-01-01T00:00:00Z\",\"amount\":{\"value\":\"2\",\"currency\":\"EUR\"}}\n");
            // no refundId: refused before the customer is loaded
            ndjson.append("{\"type\":\"RecordRefund\",\"customerId\":\"").append(id)
                    .append("\",\"orderId\":\"o-1\",\"occurredAt\":\"2024-01-02T00:00:00Z\",\"amount\":{\"value\":\"1\",\"currency\":\"EUR\"}}\n");
        }
        Answer answer = call(HttpMethod.POST, "/api/import", ndjson.toString(), "writer", MediaType.APPLICATION_NDJSON, null);
        assertThat(answer.body().path("rejected").asInt()).as(answer.body().toString()).isEqualTo(customers);
        assertThat(answer.body().path("duplicates").asInt()).as(answer.body().toString()).isZero();
        assertThat(answer.body().path("accepted").asInt()).isEqualTo(customers * 2);
        for (int c = 0; c < customers; c++) {
            assertThat(eventsOf("batch-" + c)).as("batch-" + c)
                    .anySatisfy(event -> assertThat(event.getPayload()).isInstanceOf(PurchaseRecorded.class));
        }
    }

    @Test
    void anImportKeepsEachCustomersLinesInFileOrder() {
        StringBuilder ndjson = new StringBuilder();
        int customers = 20;
        for (int c = 0; c < customers; c++) {
            ndjson.append("{\"type\":\"RegisterCustomer\",\"customerId\":\"order-").append(c).append("\",\"name\":\"N\"}\n");
        }
        for (int p = 0; p < 10; p++) {
            for (int c = 0; c < customers; c++) {
                // each refund needs the purchase on the line before it
                ndjson.append("{\"type\":\"RecordPurchase\",\"customerId\":\"order-").append(c).append("\",\"orderId\":\"o-").append(p)
                        .append("\",\"occurredAt\":\"2024-01-01T00:00:00Z\",\"amount\":{\"value\":\"2\",\"currency\":\"EUR\"}}\n");
                ndjson.append("{\"type\":\"RecordRefund\",\"customerId\":\"order-").append(c).append("\",\"orderId\":\"o-").append(p)
                        .append("\",\"refundId\":\"r-").append(p)
                        .append("\",\"occurredAt\":\"2024-01-02T00:00:00Z\",\"amount\":{\"value\":\"1\",\"currency\":\"EUR\"}}\n");
            }
        }
        Answer answer = call(HttpMethod.POST, "/api/import", ndjson.toString(), "writer", MediaType.APPLICATION_NDJSON, null);
        assertThat(answer.body().path("rejected").asInt()).as(answer.body().toString()).isZero();
        assertThat(answer.body().path("accepted").asInt()).isEqualTo(customers * 21);
    }

    @Test
    void commandsAreTimedByTypeAndOutcome() {
        String id = newCustomer();
        post("/api/customers/" + id + "/purchases", purchase("o-1", "1"));
        post("/api/customers/" + id + "/purchases", purchase("o-1", "2"));
        String metrics = http.withBasicAuth("ops", "ops-pw").getForObject("/actuator/prometheus", String.class);
        assertThat(metrics).contains("crm_commands_seconds_count{command=\"RecordPurchase\",outcome=\"recorded\"")
                .contains("crm_commands_seconds_count{command=\"RecordPurchase\",outcome=\"conflict\"")
                .as("the names docs/operating.md and the Grafana dashboard use")
                .contains("crm_commands_batch_commands_count", "http_server_requests_seconds_bucket{");
        String health = http.withBasicAuth("ops", "ops-pw").getForObject("/actuator/health", String.class);
        assertThat(health).as("ops see the components").contains("\"components\"", "\"db\"");
        assertThat(http.getForObject("/actuator/health", String.class)).doesNotContain("components");
    }
}
