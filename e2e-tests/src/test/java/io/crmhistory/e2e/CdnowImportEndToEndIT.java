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

    private void assertEveryCustomersValueMatchesTheFile(CrmClient reader) {
        ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (CdnowDataset.Customer customer : dataset.customers().values()) {
            pool.submit(() -> {
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
        }
        pool.shutdown();
        try {
            assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
