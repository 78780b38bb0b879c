package io.crmhistory.command.postgres;

import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestTemplate;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.event.CustomerStatusChanged;
import io.crmhistory.command.CommandSideApplication;
import io.crmhistory.platform.audit.ChainVerification;
import io.crmhistory.platform.audit.JdbcEventChains;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command side on PostgreSQL ({@code CRM_TEST_POSTGRES_URL}, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/crm?user=crm&password=crm}); skipped when it is not set.
 * It records a customer, stops, starts again on the same database and finds the customer as it was.
 */
class PostgresEventStoreTest {

    @TempDir
    Path dataDir;

    @Test
    void recordsAndReloadsACustomerOnPostgres() {
        String url = postgresUrl();
        String customerId = "pg-" + UUID.randomUUID();

        try (ConfigurableApplicationContext app = start(url)) {
            RestTemplate http = client(app);
            http.postForEntity("/api/customers", json("{\"customerId\":\"" + customerId + "\",\"name\":\"Ada\",\"email\":\""
                    + customerId + "@example.com\"}"), String.class);
            http.postForEntity("/api/customers/" + customerId + "/purchases", json("{\"orderId\":\"o-1\","
                    + "\"occurredAt\":\"2025-12-24T18:00:00+01:00\",\"amount\":{\"value\":\"10.00\",\"currency\":\"EUR\"}}"), String.class);
        }
        try (ConfigurableApplicationContext app = start(url)) {
            List<? extends DomainEventMessage<?>> events = app.getBean(EventStore.class).readEvents(customerId, 0).asStream().toList();
            assertThat(events).hasSize(3);
            assertThat(events.get(0).getPayload()).isInstanceOf(CustomerRegistered.class);
            assertThat(((PurchaseRecorded) events.get(1).getPayload()).amount().value()).isEqualByComparingTo("10.00");

            RestTemplate http = client(app);
            String retry = http.postForObject("/api/customers/" + customerId + "/purchases", json("{\"orderId\":\"o-1\","
                    + "\"occurredAt\":\"2025-12-24T18:00:00+01:00\",\"amount\":{\"value\":\"10.00\",\"currency\":\"EUR\"}}"), String.class);
            assertThat(retry).contains("\"recorded\":false", "\"version\":2");
        }
    }

    /** The hash chain on PostgreSQL's own byte representation: valid as written, tampering found. */
    @Test
    void tamperingWithStoredEventsIsFoundOnPostgres() {
        try (ConfigurableApplicationContext app = start(postgresUrl())) {
            RestTemplate http = client(app);
            JdbcEventChains chains = app.getBean(JdbcEventChains.class);
            EventSchema schema = app.getBean(EventSchema.class);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            String where = " WHERE " + schema.aggregateIdentifierColumn() + " = ? AND " + schema.sequenceNumberColumn() + " = ?";
            String[] ids = new String[3];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = "pg-" + UUID.randomUUID();
                http.postForEntity("/api/customers", json("{\"customerId\":\"" + ids[i] + "\",\"name\":\"Ada\"}"), String.class);
                http.postForEntity("/api/customers/" + ids[i] + "/purchases", json("{\"orderId\":\"o-1\","
                        + "\"occurredAt\":\"2025-12-24T18:00:00+01:00\",\"amount\":{\"value\":\"10.00\",\"currency\":\"EUR\"}}"),
                        String.class);
                assertThat(chains.verify(ids[i]).valid()).isTrue();
                assertThat(chains.verify(ids[i]).events()).isEqualTo(3);
            }

            byte[] payload = jdbc.queryForObject("SELECT " + schema.payloadColumn() + " FROM " + schema.domainEventTable() + where,
                    byte[].class, ids[0], 1L);
            jdbc.update("UPDATE " + schema.domainEventTable() + " SET " + schema.payloadColumn() + " = ?" + where,
                    new String(payload, StandardCharsets.UTF_8).replace("10.00", "1.00").getBytes(StandardCharsets.UTF_8), ids[0], 1L);
            jdbc.update("DELETE FROM " + schema.domainEventTable() + where, ids[1], 1L);
            String swap = "UPDATE " + schema.domainEventTable() + " SET " + schema.sequenceNumberColumn() + " = ?" + where;
            jdbc.update(swap, -1L, ids[2], 1L);
            jdbc.update(swap, 1L, ids[2], 2L);
            jdbc.update(swap, 2L, ids[2], -1L);

            for (String id : ids) {
                ChainVerification verification = chains.verify(id);
                assertThat(verification.valid()).as(id).isFalse();
                assertThat(verification.firstInvalidSequence()).as(id).isEqualTo(1L);
            }
        }
    }

    /**
     * PostgreSQL's driver reports a batch insert's unique-key violation as a BatchUpdateException; the engine still
     * recognises a lost race in it (by the SQL state), so the command side retries it rather than answering 500.
     */
    @Test
    void anAppendThatLosesARaceIsRecognisedAsOneOnPostgres() {
        try (ConfigurableApplicationContext app = start(postgresUrl())) {
            String customerId = "pg-" + UUID.randomUUID();
            client(app).postForEntity("/api/customers", json("{\"customerId\":\"" + customerId + "\",\"name\":\"Ada\"}"),
                    String.class);
            EventStorageEngine engine = app.getBean(EventStorageEngine.class);
            CustomerStatusChanged change = new CustomerStatusChanged(customerId, CustomerStatus.LEAD, CustomerStatus.ACTIVE,
                    "race", null, OffsetDateTime.parse("2025-12-24T18:00:00Z"));

            assertThatThrownBy(() -> engine.appendEvents(new GenericDomainEventMessage<>("Customer", customerId, 0, change)))
                    .isInstanceOf(AggregateStreamCreationException.class);
            engine.appendEvents(new GenericDomainEventMessage<>("Customer", customerId, 1, change));
            assertThatThrownBy(() -> engine.appendEvents(new GenericDomainEventMessage<>("Customer", customerId, 1, change)))
                    .isInstanceOf(ConcurrencyException.class);
        }
    }

    /** A tracking read over a gap (IndexedGapReads' union of two selects) in PostgreSQL's dialect. */
    @Test
    void aTrackingReadDeliversAGapThenWhatFollowsOnPostgres() {
        try (ConfigurableApplicationContext app = start(postgresUrl())) {
            RestTemplate http = client(app);
            EventSchema schema = app.getBean(EventSchema.class);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            List<String> ids = List.of("pg-" + UUID.randomUUID(), "pg-" + UUID.randomUUID(), "pg-" + UUID.randomUUID());
            ids.forEach(id -> http.postForEntity("/api/customers", json("{\"customerId\":\"" + id + "\",\"name\":\"Ada\"}"),
                    String.class));
            List<Long> positions = ids.stream().map(id -> jdbc.queryForObject(
                    "SELECT " + schema.globalIndexColumn() + " FROM " + schema.domainEventTable() + " WHERE "
                            + schema.aggregateIdentifierColumn() + " = ?", Long.class, id)).toList();
            // As if the first registration had committed after the second: a gap below the token.
            GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(positions.get(1), List.of(positions.get(0)));

            List<String> read = app.getBean(EventStorageEngine.class).readEvents(token, false).limit(2)
                    .map(event -> ((CustomerRegistered) event.getPayload()).customerId()).toList();

            assertThat(read).containsExactly(ids.get(0), ids.get(2));
        }
    }

    /** The database to test against; the test is skipped without one. */
    private static String postgresUrl() {
        String url = System.getenv("CRM_TEST_POSTGRES_URL");
        assumeTrue(url != null && !url.isBlank(), "CRM_TEST_POSTGRES_URL is not set");
        return url;
    }

    private ConfigurableApplicationContext start(String url) {
        return new SpringApplicationBuilder(CommandSideApplication.class).run(
                "--server.port=0", "--spring.datasource.url=" + url, "--crm.data-dir=" + dataDir,
                "--crm.clock.fixed=2026-01-01T00:00:00Z", "--crm.security.users.writer.password=writer-pw",
                "--crm.security.users.writer.roles=writer", "--crm.security.bcrypt-strength=4");
    }

    private static RestTemplate client(ConfigurableApplicationContext app) {
        String port = app.getEnvironment().getProperty("local.server.port");
        RestTemplate http = new org.springframework.boot.web.client.RestTemplateBuilder()
                .rootUri("http://localhost:" + port).basicAuthentication("writer", "writer-pw").build();
        return http;
    }

    private static HttpEntity<String> json(String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return new HttpEntity<>(body, headers);
    }
}
