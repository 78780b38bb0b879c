package io.crmhistory.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The segment on each directory entry (what {@code GET /api/customers?segment=} filters by) is kept by a background
 * refresh whose queue lives in memory. After a clean stop the next start trusts the entries and refreshes no one
 * (at a million customers a full refresh keeps both cores busy for minutes); after a crash it refreshes everyone.
 */
class DirectoryRefreshAcrossRestartsEndToEndIT {

    /**
     * Heartbeats a crash is seen by within a second, and store commits every second: a crash loses what the
     * embedded store has not committed, the instance's session with it if it was that new (and then everything the
     * instance wrote after it, so nothing to repair: see RefreshLedger).
     */
    private static final String[] QUICK = {"--crm.refresh.heartbeat-interval=250ms", "--crm.refresh.stale-after=1s",
            "--crm.readmodel.embedded.commit-interval=1s"};
    private static final String SEGMENTS = "directory-segments";

    @TempDir
    static Path dataDir;

    static RunningSide commandSide;
    static RunningSide querySide;

    @BeforeAll
    static void start() {
        commandSide = RunningSide.commandSide(dataDir);
        querySide = RunningSide.querySide(dataDir, QUICK);
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
        if (commandSide != null) {
            commandSide.close();
        }
    }

    @Test
    void aCleanStopLeavesNothingToRefreshAndACrashMakesTheNextStartRefreshEveryone() {
        CrmClient writer = new CrmClient(commandSide);
        assertThat(writer.post("/api/customers", """
                {"customerId":"refresh-1","name":"Ada Lovelace","email":"ada@example.com",
                 "registeredAt":"2025-06-01T09:00:00Z"}""").status()).isEqualTo(201);
        CrmClient.Response purchase = writer.post("/api/customers/refresh-1/purchases", """
                {"orderId":"o-1","occurredAt":"2025-12-20T12:00:00Z","amount":{"value":"900.00","currency":"EUR"}}""");
        assertThat(purchase.status()).isEqualTo(201);
        long version = purchase.json().get("version").asLong();

        CrmClient reader = new CrmClient(querySide);
        CrmClient.Response segment = reader.get("/api/customers/refresh-1/segment?minVersion=" + version);
        assertThat(segment.status()).as(segment.body()).isEqualTo(200);
        String name = segment.json().get("segment").asText();
        awaitListed(name);
        JsonNode first = awaitStartChecked();
        assertThat(first.get("fullRuns").asInt()).as("a store never fully refreshed: everyone once").isEqualTo(1);

        querySide.close();
        querySide.start();
        awaitStartChecked();
        await("no full refresh after a clean stop").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> segmentsRefresh().get("fullRuns").asInt() == 0);
        awaitListed(name);

        querySide.kill();
        querySide.start();
        await("a full refresh after a crash").atMost(Duration.ofSeconds(30))
                .until(() -> segmentsRefresh().get("fullRuns").asInt() == 1 && segmentsRefresh().get("queued").asInt() == 0);
        awaitListed(name);
    }

    private void awaitListed(String segment) {
        CrmClient reader = new CrmClient(querySide);
        await("refresh-1 listed in " + segment).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            CrmClient.Response page = reader.get("/api/customers?segment=" + segment);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("\"refresh-1\"");
        });
    }

    private JsonNode awaitStartChecked() {
        await("the directory's segment refresh checked its ledger").atMost(Duration.ofSeconds(30))
                .until(() -> segmentsRefresh().get("startChecked").asBoolean() && segmentsRefresh().get("queued").asInt() == 0);
        return segmentsRefresh();
    }

    private JsonNode segmentsRefresh() {
        CrmClient.Response health = new CrmClient(querySide).get("/actuator/health");
        JsonNode refresh = health.json().path("components").path("refreshes").path("details").path(SEGMENTS);
        assertThat(refresh.isMissingNode()).as(health.body()).isFalse();
        return refresh;
    }
}
