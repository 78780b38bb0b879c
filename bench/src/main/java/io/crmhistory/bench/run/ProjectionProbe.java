package io.crmhistory.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each projection of the query side stands: its position in the event stream, read from the
 * {@code projections} component of {@code /actuator/health} (shown to the ops role); and whether its background
 * refreshes (the segment and forecast on each directory entry) are idle, from the {@code refreshes} component; and
 * whether a rebuild's leftovers are done (the versions it replaced dropped, the segment change log reconciled).
 */
final class ProjectionProbe {

    private final HttpTarget query;

    ProjectionProbe(HttpTarget query) {
        this.query = query;
    }

    /** Position of every projection; empty when the query side does not (yet) report them. */
    Map<String, Long> positions() {
        Map<String, Long> positions = new LinkedHashMap<>();
        details("projections").forEach((name, details) -> {
            JsonNode position = details.path("position");
            if (position.isNumber()) {
                positions.put(name, position.asLong());
            }
        });
        return positions;
    }

    /** Each entry of one component of {@code /actuator/health}; empty when the query side does not report it. */
    private Map<String, JsonNode> details(String component) {
        HttpTarget.Response health = query.getQuietly("/actuator/health");
        Map<String, JsonNode> details = new LinkedHashMap<>();
        if (health != null && !health.body().isEmpty()) {
            health.json().path("components").path(component).path("details").fields()
                    .forEachRemaining(entry -> details.put(entry.getKey(), entry.getValue()));
        }
        return details;
    }

    /**
     * Waits until every projection has reached {@code head}; returns, per projection, the
     * {@link System#nanoTime()} at which it was first seen there.
     */
    Map<String, Long> awaitAll(long head, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> reached = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            Map<String, Long> positions = positions();
            long now = System.nanoTime();
            positions.forEach((name, position) -> {
                if (position >= head) {
                    reached.putIfAbsent(name, now);
                }
            });
            if (!positions.isEmpty() && reached.keySet().containsAll(positions.keySet())) {
                return reached;
            }
            Pause.briefly(Duration.ofMillis(20));
        }
        throw new IllegalStateException("projections not at position " + head + " after " + timeout.toSeconds()
                + " s: " + positions());
    }

    /**
     * Waits until every background refresh of the query side has checked its ledger since the start (a side
     * seconds old may not have queued the full refresh it owes yet) and has no run queued or running (at once when
     * the query side does not report them); returns the {@link System#nanoTime()} at which that was first seen.
     */
    long awaitRefreshesIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (details("refreshes").values().stream().allMatch(ProjectionProbe::idle)) {
                return System.nanoTime();
            }
            Pause.briefly(Duration.ofMillis(50));
        }
        throw new IllegalStateException("background refreshes not idle after " + timeout.toSeconds() + " s: "
                + details("refreshes"));
    }

    /**
     * Whether every version of {@code projection} that a rebuild replaced is dropped ({@code retired} in its health
     * details) and the embedded read-model store has emptied what was dropped (the {@code crm.readmodel.dropped.entries}
     * gauge; absent on MongoDB, which drops a collection at once).
     */
    boolean retiredVersionsDropped(String projection) {
        JsonNode retired = details("projections").getOrDefault(projection, MissingNode.getInstance()).path("retired");
        if (retired.size() > 0) {
            return false;
        }
        HttpTarget.Response dropped = query.getQuietly("/actuator/metrics/crm.readmodel.dropped.entries");
        return dropped != null && (!dropped.ok()
                || dropped.json().path("measurements").path(0).path("value").asDouble() == 0);
    }

    /**
     * Whether the live segment version {@code version} has reconciled the segment change log: its last re-evaluation
     * of every customer is the finished {@code REBUILD} run a rebuilt version does once the version it replaced is gone.
     */
    boolean changeLogReconciled(long version) {
        HttpTarget.Response answer = query.getQuietly("/api/ops/projections/segment");
        if (answer == null || !answer.ok()) {
            return false;
        }
        for (JsonNode row : answer.json()) {
            if (row.path("version").asLong() == version && "LIVE".equals(row.path("status").asText())) {
                JsonNode run = row.path("reevaluation");
                return "REBUILD".equals(run.path("cause").asText()) && run.path("finished").asBoolean();
            }
        }
        return false;
    }

    private static boolean idle(JsonNode refresh) {
        return refresh.path("startChecked").asBoolean(true) && refresh.path("queued").asLong() == 0;
    }
}
