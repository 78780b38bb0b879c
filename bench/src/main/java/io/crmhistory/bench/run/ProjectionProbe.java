package io.crmhistory.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each projection of the query side stands: its position in the event stream, read from the
 * {@code projections} component of {@code /actuator/health} (shown to the ops role).
 */
final class ProjectionProbe {

    private final HttpTarget query;

    ProjectionProbe(HttpTarget query) {
        this.query = query;
    }

    /** Position of every projection; empty when the query side does not (yet) report them. */
    Map<String, Long> positions() {
        HttpTarget.Response health = query.getQuietly("/actuator/health");
        Map<String, Long> positions = new LinkedHashMap<>();
        if (health == null || health.body().isEmpty()) {
            return positions;
        }
        JsonNode details = health.json().path("components").path("projections").path("details");
        details.fields().forEachRemaining(entry -> {
            JsonNode position = entry.getValue().path("position");
            if (position.isNumber()) {
                positions.put(entry.getKey(), position.asLong());
            }
        });
        return positions;
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
}
