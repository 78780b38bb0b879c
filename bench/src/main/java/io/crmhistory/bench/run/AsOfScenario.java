package io.crmhistory.bench.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * As-of reconstruction ({@code GET /api/audit/customers/{id}/state?asOf=}) of one customer with
 * {@link BenchSize#asOfEvents()} events: registered, one purchase (and its move to ACTIVE), then contacts.
 */
final class AsOfScenario {

    static final String PATH_PREFIX = "/api/audit/customers/";
    private static final int REQUESTS = 30;

    private AsOfScenario() {
    }

    static void run(BenchContext context) {
        String scenario = "as-of state of a customer with " + String.format("%,d", context.size().asOfEvents()) + " events";
        String id = "asof-1";
        BenchContext.log("as-of: importing a customer with " + context.size().asOfEvents() + " events");
        Path file = context.scratch().resolve("asof.ndjson");
        writeCustomer(file, id, context.size().asOfEvents());
        long importStart = System.nanoTime();
        HttpTarget.Response imported = context.product().postFile("/api/import", "application/x-ndjson", file);
        BenchContext.log(String.format("as-of: imported in %.1f s", (System.nanoTime() - importStart) / 1e9));
        if (!imported.ok()) {
            throw new IllegalStateException("as-of customer import failed: " + imported.status() + " " + imported.body());
        }
        long head = EventStoreReader.head(EventStoreReader.sharedUrl(context.systems().productData()));
        ProjectionProbe probe = new ProjectionProbe(context.query());
        probe.awaitAll(head, Duration.ofMinutes(30));
        probe.awaitRefreshesIdle(Duration.ofHours(1));

        // The occurred axis at the sides' fixed clock: everything that had happened by then (all of the
        // customer's history, dated 2024-25). The recorded axis cannot be used with a fixed clock: the
        // query side refuses an asOf after its clock (400), while Axon stamps events with the real time,
        // so at the clock nothing is recorded yet (404).
        String asOf = ManagedProcess.CLOCK + "&axis=occurred";
        context.systems().resetPeaks();
        Histogram latencies = LoadDriver.newHistogram();
        int status = 0;
        long firstMicros = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long begin = System.nanoTime();
            HttpTarget.Response response = context.query().get(PATH_PREFIX + id + "/state?asOf=" + asOf);
            long micros = (System.nanoTime() - begin) / 1000;
            latencies.recordValue(micros);
            if (i == 0) {
                firstMicros = micros;
            }
            status = response.status();
        }
        // The query side keeps a long stream after the first call and then reads only what is newer; the first
        // call is the one that reads the whole stream from the store.
        context.report().add(new ScenarioResult(scenario, REQUESTS + " sequential requests",
                "", latencies, context.systems().usage(),
                String.format("first call %d ms; last answer %d", firstMicros / 1000, status)));
    }

    private static void writeCustomer(Path file, String id, int events) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            ObjectNode register = json.objectNode().put("type", "RegisterCustomer").put("customerId", id)
                    .put("name", "As-of customer").put("registeredAt", start.toString());
            out.write(register + "\n");
            ObjectNode purchase = json.objectNode().put("type", "RecordPurchase").put("customerId", id)
                    .put("orderId", id + "-o1").put("occurredAt", start.plusSeconds(60).toString());
            purchase.set("amount", json.objectNode().put("value", "49.90").put("currency", "USD"));
            out.write(purchase + "\n");
            // Registered + purchase + the move to ACTIVE are 3 events; the rest are contacts.
            for (int k = 0; k < events - 3; k++) {
                ObjectNode contact = json.objectNode().put("type", "RecordContact").put("customerId", id)
                        .put("contactId", id + "-c" + k).put("channel", "EMAIL").put("direction", "OUTBOUND")
                        .put("occurredAt", start.plusSeconds(3_600L * (k + 1)).toString()).put("subject", "newsletter");
                out.write(contact + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
