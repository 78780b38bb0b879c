package io.crmhistory.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;

/**
 * Projection catch-up: from the moment the last write was acknowledged to the moment every projection
 * has processed the event store's head (positions from the query side, head read from the store), and
 * the events per second the projections processed meanwhile.
 */
final class CatchUpScenario {

    private CatchUpScenario() {
    }

    /**
     * @param lastWriteNanos when the last write was acknowledged ({@link System#nanoTime()})
     * @param customers      customers registered so far, checked against the segment totals
     */
    static void run(BenchContext context, String label, long lastWriteNanos, long customers,
                    LoadDriver.LastWrite lastWrite) {
        long head = EventStoreReader.head(EventStoreReader.sharedUrl(context.systems().productData()));
        ProjectionProbe probe = new ProjectionProbe(context.query());
        Map<String, Long> atLastWrite = probe.positions();
        if (atLastWrite.isEmpty()) {
            context.report().add(ScenarioResult.notAvailable("projection catch-up " + label,
                    "the query side reports no projection positions in /actuator/health"));
            return;
        }
        long behind = head - atLastWrite.values().stream().mapToLong(Long::longValue).min().orElse(head);
        Map<String, Long> reached = probe.awaitAll(head, Duration.ofHours(4));
        long caughtUp = reached.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        double seconds = Math.max(0, caughtUp - lastWriteNanos) / 1e9;
        double sinceProbe = Math.max(1, caughtUp - lastWriteNanos) / 1e9;
        // The directory's segments and forecasts follow the projections in the background (refreshes deferred
        // while catching up are done after it): the read models are current once those are idle too.
        long refreshed = probe.awaitRefreshesIdle(Duration.ofHours(1));

        StringBuilder note = new StringBuilder(String.format("head %,d; slowest behind at last write: %,d events"
                + "; background refreshes idle %.2f s after the last write",
                head + 1, behind, Math.max(0, refreshed - lastWriteNanos) / 1e9));
        note.append("; ").append(segmentTotals(context, customers));
        if (lastWrite != null && lastWrite.version() >= 0) {
            long begin = System.nanoTime();
            HttpTarget.Response value = context.query().get("/api/customers/" + lastWrite.customerId()
                    + "/value?minVersion=" + lastWrite.version());
            note.append(String.format("; last customer's value at version %d: %d in %.0f ms", lastWrite.version(),
                    value.status(), (System.nanoTime() - begin) / 1e6));
        }
        context.report().add(new ScenarioResult("projection catch-up " + label,
                String.format("%,d events behind", behind),
                String.format("%.2f s to caught up; %s events/s", seconds,
                        behind == 0 ? "-" : ReportTable.count(behind / sinceProbe)),
                null, context.systems().usage(), note.toString()));
    }

    private static String segmentTotals(BenchContext context, long customers) {
        HttpTarget.Response segments = context.query().getQuietly("/api/segments");
        if (segments == null || !segments.ok()) {
            return "GET /api/segments: " + (segments == null ? "no answer" : segments.status());
        }
        long total = 0;
        for (JsonNode segment : segments.json().path("segments")) {
            total += segment.path("count").asLong();
        }
        return String.format("segment totals %,d of %,d customers", total, customers);
    }
}
