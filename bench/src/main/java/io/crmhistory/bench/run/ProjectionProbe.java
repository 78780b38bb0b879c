package io.crmhistory.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each projection of the query side stands: its position in the event stream, read from the
 * {@code projections} component of {@code /actuator/health} (shown to the ops role); and whether its background
 * refreshes (the segment and forecast on each directory entry) are idle, from the {@code refreshes} component.
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

    private static boolean idle(JsonNode refresh) {
        return refresh.path("startChecked").asBoolean(true) && refresh.path("queued").asLong() == 0;
    }
}
