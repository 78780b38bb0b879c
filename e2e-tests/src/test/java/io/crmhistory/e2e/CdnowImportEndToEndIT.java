package io.crmhistory.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real CDNOW purchase log imported through the command side, projected by the query side
 * (which is killed with SIGKILL in the middle of catching up and restarted), and every customer's
 * figures and the segment counts checked against an independent computation from the file.
 * The 1-in-10 sample by default (about 11,600 events); {@code -Dcrm.e2e.cdnow=master} runs the whole
 * log (about 117,000 events), which takes several minutes on the embedded read-model store.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CdnowImportEndToEndIT {

    /** Two weeks after the log ends, so recency spreads customers over several segments. */
    private static final String CLOCK = "1998-07-15T00:00:00Z";
    private static final LocalDate TODAY = LocalDate.of(1998, 7, 15);

    @TempDir
    static Path dataDir;
    @TempDir
    static Path workDir;

    static CdnowDataset dataset;
    static Path importFile;
    static RunningSide commandSide;
    static RunningSide querySide;

    @BeforeAll
    static void startCommandSide() {
        dataset = CdnowDataset.chosen();
        importFile = dataset.writeImportFile(workDir.resolve("cdnow.ndjson"));
        commandSide = RunningSide.commandSide(dataDir, "--crm.clock.fixed=" + CLOCK);
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
    @Order(1)
    void importsEveryLineOfTheRealLog() {
        CrmClient.Response response = new CrmClient(commandSide).postFile("/api/import", "application/x-ndjson", importFile);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode counts = response.json();
        assertThat(counts.get("accepted").asInt()).isEqualTo(dataset.customers().size() + dataset.purchaseCount());
        assertThat(counts.get("duplicates").asInt()).isZero();
        assertThat(counts.get("rejected").asInt()).isZero();
    }

    @Test
    @Order(2)
    void queryKilledWhileCatchingUpEndsExactlyRightAfterRestart() {
        querySide = RunningSide.querySide(dataDir, "--crm.clock.fixed=" + CLOCK, "--crm.base-currency=USD");
        CrmClient reader = new CrmClient(querySide);
        int customers = dataset.customers().size();

        // Registrations come first in the file: wait until purchases are being projected.
        await("query side part-way through the purchases").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> customersWhoBought(reader) > customers / 20);
        querySide.kill();
        querySide.start();

        // Registrations come first in the file, so counts only settle once every purchase is projected.
        Map<String, Integer> expected = ExpectedSegments.countsAt(TODAY, dataset.customers().values());
        await("query side caught up").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(segmentCounts(reader)).isEqualTo(expected));
        assertEveryCustomersValueMatchesTheFile(reader);
    }

    @Test
    @Order(4)
    void theValueForecastFittedOnTheSampleReproducesThePublishedEstimates() {
        assumeTrue(dataset.customers().size() == 2357, "the published estimates are for the 1-in-10 sample");
        CrmClient ops = new CrmClient(querySide);

        CrmClient.Response fit = ops.post("/api/ops/value-model/fit", """
                {"calibrationEnd":"1997-09-30","horizonWeeks":39}""");

        assertThat(fit.status()).as(fit.body()).isEqualTo(201);
        JsonNode model = fit.json();
        assertThat(model.get("bgNbd").get("r").asDouble()).isCloseTo(0.243, within(0.005));
        assertThat(model.get("bgNbd").get("alpha").asDouble()).isCloseTo(4.414, within(0.005));
        assertThat(model.get("bgNbd").get("a").asDouble()).isCloseTo(0.793, within(0.005));
        assertThat(model.get("bgNbd").get("b").asDouble()).isCloseTo(2.426, within(0.005));
        assertThat(model.get("bgNbdLogLikelihood").asDouble()).isCloseTo(-9582.4, within(0.05));
        assertThat(model.get("gammaGamma").get("p").asDouble()).isCloseTo(6.25, within(0.005));
        assertThat(model.get("gammaGamma").get("q").asDouble()).isCloseTo(3.74, within(0.005));
        assertThat(model.get("gammaGamma").get("gamma").asDouble()).isCloseTo(15.44, within(0.01));
        assertThat(model.get("customers").asInt()).isEqualTo(2357);

        CrmClient.Response prediction = ops.get("/api/customers/cdnow-1/prediction?horizonWeeks=39&asOf=1997-09-30");
        assertThat(prediction.status()).as(prediction.body()).isEqualTo(200);
        JsonNode forecast = prediction.json();
        assertThat(forecast.get("summary").get("x").asInt()).isEqualTo(2);
        assertThat(forecast.get("summary").get("t_x").asDouble()).isCloseTo(30.43, within(0.005));
        assertThat(forecast.get("summary").get("T").asDouble()).isCloseTo(38.86, within(0.005));
        assertThat(forecast.get("expectedPurchases").asDouble()).isCloseTo(1.226, within(0.005));
        // Before the first purchase: no summary, the figures present as null, no revenue, as the value view has it.
        JsonNode beforeFirst = ops.get("/api/customers/cdnow-1/prediction?asOf=1996-12-31").json();
        assertThat(beforeFirst.get("summary").isNull()).as(beforeFirst.toString()).isTrue();
        assertThat(beforeFirst.get("probabilityAlive").isNull()).as(beforeFirst.toString()).isTrue();
        assertThat(beforeFirst.get("predictedRevenue").asText()).isEqualTo("0.00");
        assertThat(ops.get("/api/value-model").json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void importingTheSameFileAgainRecordsNothingNew() {
        CrmClient.Response response = new CrmClient(commandSide).postFile("/api/import", "application/x-ndjson", importFile);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode counts = response.json();
        assertThat(counts.get("accepted").asInt()).isZero();
        assertThat(counts.get("duplicates").asInt()).isEqualTo(dataset.customers().size() + dataset.purchaseCount());
        assertThat(counts.get("rejected").asInt()).isZero();
    }

    @Test
    @Order(5)
    void aRebuildBesideTheLiveVersionNeverDisturbsReadsAndResumesAfterAKill() throws Exception {
        assumeTrue(querySide != null, "runs on the query side the earlier steps started");
        // Small batches, so the rebuild lasts long enough to be killed part-way, and a commit of the embedded
        // store every second (5 s by default), so the kill can come soon after one.
        querySide.kill();
        querySide = RunningSide.querySide(dataDir, "--crm.clock.fixed=" + CLOCK, "--crm.base-currency=USD",
                "--crm.projections.batch-size=10", "--crm.projections.rebuild-batch-size=10",
                "--crm.readmodel.embedded.commit-interval=1s");
        CrmClient ops = new CrmClient(querySide);
        Map<String, Integer> expected = ExpectedSegments.countsAt(TODAY, dataset.customers().values());
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(segmentCounts(ops)).isEqualTo(expected));
        int liveVersion = projection(ops, "segment", "LIVE").get("version").asInt();

        List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CompletableFuture<Void> poller = java.util.concurrent.CompletableFuture.runAsync(() -> {
            while (polling.get()) {
                CrmClient.Response response = ops.get("/api/segments");
                reads.incrementAndGet();
                if (response.status() != 200) {
                    wrong.add(response.status() + " " + response.body());
                } else if (!countsOf(response.json()).equals(expected)) {
                    wrong.add(response.body());
                }
            }
        });

        CrmClient.Response accepted = ops.post("/api/ops/projections/segment/rebuild", "");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json().get("version").asInt()).isEqualTo(liveVersion + 1);
        assertThat(ops.post("/api/ops/projections/segment/rebuild", "").status()).isEqualTo(409);
        // Batches of 10 make the rebuild last tens of seconds: it is caught part-way, never missed.
        await("rebuild part-way").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonNode rebuild = projection(ops, "segment", "REBUILDING");
                    assertThat(rebuild).as("the rebuild ended before it was seen part-way").isNotNull();
                    return rebuild.get("progress").asDouble() > 0.3;
                });
        polling.set(false);
        poller.get();
        assertThat(reads.get()).isPositive();
        assertThat(wrong).as("reads during the rebuild").isEmpty();

        JsonNode beforeKill = projection(ops, "segment", "REBUILDING");
        // Kill once the rebuild has gone on past a commit (every second here).
        await().pollDelay(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(10)).until(() -> true);
        querySide.kill();
        querySide.start();
        CrmClient afterRestart = new CrmClient(querySide);
        // Until its processor claims the token the rebuild reports no position; then it is where it was.
        await("rebuild resumed").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode resumed = projection(afterRestart, "segment", "REBUILDING");
            assertThat(resumed).as("the rebuild after the restart").isNotNull();
            return resumed.get("position").asLong() >= 0;
        });
        JsonNode resumed = projection(afterRestart, "segment", "REBUILDING");
        assertThat(resumed.get("version").asInt()).isEqualTo(liveVersion + 1);
        assertThat(resumed.get("position").asLong()).as("resumed, not restarted")
                .isGreaterThanOrEqualTo(beforeKill.get("position").asLong());
        await("rebuilt version live").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> projection(afterRestart, "segment", "LIVE").get("version").asInt() == liveVersion + 1
                        && projection(afterRestart, "segment", "REBUILDING") == null);
        assertThat(segmentCounts(afterRestart)).isEqualTo(expected);
    }

    @Test
    @Order(6)
    void publishingRulesThatMoveTheThresholdsMovesExactlyTheCustomersAnIndependentComputationMoves() {
        ExpectedSegments.Thresholds moved = new ExpectedSegments.Thresholds(new int[]{60, 120, 240, 400},
                new int[]{2, 4, 6, 12}, new BigDecimal[]{new BigDecimal("50"), new BigDecimal("200"),
                new BigDecimal("800"), new BigDecimal("3000")});
        CrmClient.Response published = new CrmClient(commandSide).put("/api/segmentation-rules", """
                {"recencyDays": [60, 120, 240, 400], "frequencyOrders": [2, 4, 6, 12],
                 "monetary": ["50", "200", "800", "3000"],
                 "segments": [
                   {"name": "CHURNED", "when": "status == 'CHURNED'"},
                   {"name": "PROSPECT", "when": "f == 0"},
                   {"name": "CHAMPIONS", "when": "r >= 4 and f >= 4 and m >= 4"},
                   {"name": "LOYAL", "when": "r >= 3 and f >= 3"},
                   {"name": "NEW", "when": "r >= 4 and f == 1"},
                   {"name": "AT_RISK", "when": "r <= 2 and f >= 3"},
                   {"name": "HIBERNATING", "when": "r <= 2"}],
                 "fallback": "NEEDS_ATTENTION"}""");
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        int version = published.json().get("version").asInt();
        CrmClient reader = new CrmClient(querySide);

        Map<String, Integer> expected = ExpectedSegments.countsAt(TODAY, dataset.customers().values(), moved);
        assertThat(expected).isNotEqualTo(ExpectedSegments.countsAt(TODAY, dataset.customers().values()));
        await("segments re-evaluated with version " + version).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    CrmClient.Response segments = reader.get("/api/segments");
                    assertThat(segments.json().get("ruleVersion").asInt()).isEqualTo(version);
                    assertThat(countsOf(segments.json())).isEqualTo(expected);
                });
        // The counts can be right before the re-evaluation has finished: the customers it has not reached yet may
        // be ones the new rules leave where they were. Its own status says when it is done.
        await("re-evaluation with version " + version + " complete").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    JsonNode reevaluation = projection(reader, "segment", "LIVE").get("reevaluation");
                    assertThat(reevaluation.get("ruleVersion").asInt()).isEqualTo(version);
                    assertThat(reevaluation.get("progress").asDouble()).isEqualTo(1.0);
                    assertThat(reevaluation.get("evaluated").asInt()).isEqualTo(dataset.customers().size());
                });

        CrmClient.Response sandboxEscape = new CrmClient(commandSide).put("/api/segmentation-rules", """
                {"recencyDays": [30, 90, 180, 365], "frequencyOrders": [2, 3, 5, 10],
                 "monetary": ["100", "500", "1000", "5000"],
                 "segments": [{"name": "PWNED", "when": "T(java.lang.Runtime).getRuntime().exec('id') != null"}],
                 "fallback": "NEEDS_ATTENTION"}""");
        assertThat(sandboxEscape.status()).as(sandboxEscape.body()).isEqualTo(400);
        assertThat(sandboxEscape.body()).contains("segments");
    }

    @Test
    @Order(7)
    void theForecastShowsOnTheViewsOrdersTheListAndDrivesSegmentsThatReadIt() {
        CrmClient client = new CrmClient(querySide);
        assumeTrue(client.get("/api/value-model").status() == 200, "needs the model fitted on the sample");

        CrmClient.Response prediction = client.get("/api/customers/cdnow-1/prediction");
        assertThat(prediction.status()).as(prediction.body()).isEqualTo(200);
        JsonNode valueForecast = client.get("/api/customers/cdnow-1/value").json().get("forecast");
        assertThat(valueForecast.get("predictedRevenue").asText()).isEqualTo(prediction.json().get("predictedRevenue").asText());
        assertThat(valueForecast.get("probabilityAlive").asDouble())
                .isEqualTo(prediction.json().get("probabilityAlive").asDouble());
        assertThat(client.get("/api/customers/cdnow-1").json().get("forecast")).isEqualTo(valueForecast);

        Map<String, JsonNode> predictions = predictions(client);
        BigDecimal highest = predictions.values().stream().map(p -> new BigDecimal(p.get("predictedRevenue").asText()))
                .max(BigDecimal::compareTo).orElseThrow();
        await("the list ordered by the stored forecast").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            JsonNode page = client.get("/api/customers?sort=-predictedRevenue&limit=20").json().get("items");
            BigDecimal previous = null;
            for (JsonNode item : page) {
                assertThat(item.path("forecast").path("predictedRevenue").isTextual()).as(item.toString()).isTrue();
                BigDecimal revenue = new BigDecimal(item.get("forecast").get("predictedRevenue").asText());
                assertThat(previous == null || previous.compareTo(revenue) >= 0).as(page.toString()).isTrue();
                previous = revenue;
            }
            assertThat(previous).isNotNull();
            assertThat(new BigDecimal(page.get(0).get("forecast").get("predictedRevenue").asText())).isEqualByComparingTo(highest);
        });

        CrmClient.Response published = new CrmClient(commandSide).put("/api/segmentation-rules", """
                {"recencyDays": [30, 90, 180, 365], "frequencyOrders": [2, 3, 5, 10],
                 "monetary": ["100", "500", "1000", "5000"],
                 "segments": [
                   {"name": "CHURNED", "when": "status == 'CHURNED'"},
                   {"name": "LIKELY_GONE", "when": "pAlive < 0.2"},
                   {"name": "TOP_FORECAST", "when": "predictedRevenue >= 100"},
                   {"name": "BUYER", "when": "f >= 1"}],
                 "fallback": "PROSPECT"}""");
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        int rules = published.json().get("version").asInt();
        Map<String, Integer> expected = forecastSegments(predictions);
        await("segments by forecast").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonNode segments = client.get("/api/segments").json();
                    assertThat(segments.get("ruleVersion").asInt()).isEqualTo(rules);
                    assertThat(countsOf(segments)).isEqualTo(expected);
                });

        // A new model version moves the customers of rules that read it, without new rules.
        CrmClient.Response refit = client.post("/api/ops/value-model/fit", """
                {"calibrationEnd":"1998-03-31","horizonWeeks":26}""");
        assertThat(refit.status()).as(refit.body()).isEqualTo(201);
        assertThat(client.get("/api/ops/value-model/fit").json().get("progress").asDouble()).isEqualTo(1.0);
        Map<String, Integer> afterRefit = forecastSegments(predictions(client));
        await("segments re-evaluated for model version 2").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    JsonNode reevaluation = projection(client, "segment", "LIVE").get("reevaluation");
                    assertThat(reevaluation.get("cause").asText()).isEqualTo("MODEL");
                    assertThat(reevaluation.get("finished").asBoolean()).isTrue();
                    assertThat(countsOf(client.get("/api/segments").json())).isEqualTo(afterRefit);
                });
    }

    /** Every customer's forecast as of today through the prediction call, over the model's horizon. */
    private Map<String, JsonNode> predictions(CrmClient client) {
        Map<String, JsonNode> predictions = new java.util.concurrent.ConcurrentHashMap<>();
        forEveryCustomer(customer -> predictions.put(customer.customerId(),
                client.get("/api/customers/" + customer.customerId() + "/prediction").json()));
        assertThat(predictions).hasSize(dataset.customers().size());
        return predictions;
    }

    /** Calls {@code check} for every customer of the data set, four at a time. */
    private void forEveryCustomer(java.util.function.Consumer<CdnowDataset.Customer> check) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        dataset.customers().values().forEach(customer -> pool.submit(() -> check.accept(customer)));
        pool.shutdown();
        try {
            assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The forecast rule set of the test, computed from the prediction call's figures. */
    private static Map<String, Integer> forecastSegments(Map<String, JsonNode> predictions) {
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode prediction : predictions.values()) {
            String segment = prediction.get("probabilityAlive").asDouble() < 0.2 ? "LIKELY_GONE"
                    : new BigDecimal(prediction.get("predictedRevenue").asText()).compareTo(new BigDecimal("100")) >= 0
                    ? "TOP_FORECAST" : "BUYER";
            counts.merge(segment, 1, Integer::sum);
        }
        return counts;
    }

    /** The projection's row of the given status (LIVE also matches CATCHING_UP), or null when there is none. */
    private static JsonNode projection(CrmClient ops, String name, String status) {
        CrmClient.Response response = ops.get("/api/ops/projections/" + name);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode row : response.json()) {
            String rowStatus = row.get("status").asText();
            if (rowStatus.equals(status) || (status.equals("LIVE") && rowStatus.equals("CATCHING_UP"))) {
                return row;
            }
        }
        return null;
    }

    private static Map<String, Integer> countsOf(JsonNode segments) {
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode segment : segments.get("segments")) {
            if (segment.get("count").asInt() > 0) {
                counts.put(segment.get("name").asText(), segment.get("count").asInt());
            }
        }
        return counts;
    }

    private void assertEveryCustomersValueMatchesTheFile(CrmClient reader) {
        ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
        forEveryCustomer(customer -> {
            // registration, every purchase, and the move to ACTIVE on the first purchase
            long lastVersion = customer.orderCount() + 1L;
            CrmClient.Response response = reader.get("/api/customers/" + customer.customerId()
                    + "/value?minVersion=" + lastVersion);
            if (response.status() != 200) {
                mismatches.add(customer.customerId() + ": HTTP " + response.status() + " " + response.body());
                return;
            }
            JsonNode value = response.json();
            List<String> problems = new ArrayList<>();
            if (new BigDecimal(value.get("netRevenue").asText()).compareTo(customer.netRevenue()) != 0) {
                problems.add("netRevenue " + value.get("netRevenue") + " != " + customer.netRevenue());
            }
            if (value.get("orderCount").asInt() != customer.orderCount()) {
                problems.add("orderCount " + value.get("orderCount") + " != " + customer.orderCount());
            }
            if (!value.get("firstPurchaseAt").asText().startsWith(customer.firstPurchase().toString())) {
                problems.add("firstPurchaseAt " + value.get("firstPurchaseAt") + " != " + customer.firstPurchase());
            }
            if (!value.get("lastPurchaseAt").asText().startsWith(customer.lastPurchase().toString())) {
                problems.add("lastPurchaseAt " + value.get("lastPurchaseAt") + " != " + customer.lastPurchase());
            }
            if (!problems.isEmpty()) {
                mismatches.add(customer.customerId() + ": " + problems);
            }
        });
        assertThat(mismatches).as("customers whose value differs from the file").isEmpty();
    }

    private static int customersWhoBought(CrmClient reader) {
        return segmentCounts(reader).entrySet().stream()
                .filter(segment -> !segment.getKey().equals("PROSPECT"))
                .mapToInt(Map.Entry::getValue).sum();
    }

    private static Map<String, Integer> segmentCounts(CrmClient reader) {
        CrmClient.Response response = reader.get("/api/segments");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode segment : response.json().get("segments")) {
            if (segment.get("count").asInt() > 0) {
                counts.put(segment.get("name").asText(), segment.get("count").asInt());
            }
        }
        return counts;
    }
}
