package io.crmhistory.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Full rebuild of every projection from the event store, next to the raw speed of reading and
 * deserializing the same stream with no projection at all.
 * <p>
 * With the rebuild API ({@code POST /api/ops/projections/{name}/rebuild}) each projection is rebuilt
 * in turn on the running query side. Without it, a fresh query side is started on a copy of the event
 * store with no read models, which is a full catch-up of all projections at once, and is reported so.
 */
final class RebuildScenario {

    private RebuildScenario() {
    }

    static boolean apiAvailable(ApiSurface surface) {
        return surface.has("/api/ops/projections/", "/rebuild");
    }

    /**
     * Cancels the rebuilds an earlier part of the run left behind, stopped in the middle of this phase: the query
     * side resumes them when it starts, and would refuse to start another of the same projection.
     */
    static void cancelLeftOverRebuilds(BenchContext context) {
        HttpTarget query = context.query();
        for (JsonNode projection : projections(query)) {
            if (isRebuild(projection)) {
                String name = projection.path("name").asText();
                HttpTarget.Response cancelled = query.send("DELETE", "/api/ops/projections/" + name + "/rebuild", null);
                BenchContext.log("cancelled the rebuild of " + name + " left by an earlier part: " + cancelled.status());
            }
        }
    }

    /** Through the rebuild API, on the running query side, one projection after the other. */
    static void viaApi(BenchContext context) {
        HttpTarget query = context.query();
        for (JsonNode projection : projections(query).stream().filter(p -> !isRebuild(p)).toList()) {
            String name = projection.path("name").asText();
            long previousVersion = projection.path("version").asLong();
            context.systems().resetPeaks();
            long start = System.nanoTime();
            HttpTarget.Response accepted = query.send("POST", "/api/ops/projections/" + name + "/rebuild", null);
            if (accepted.status() != 202) {
                throw new IllegalStateException("rebuild of " + name + ": " + accepted.status() + " " + accepted.body());
            }
            JsonNode state = projection;
            while (!(state.path("version").asLong() > previousVersion && "LIVE".equals(state.path("status").asText()))) {
                Pause.briefly(Duration.ofMillis(50));
                state = find(projections(query), name);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long events = state.path("headPosition").asLong() + 1;
            context.report().add(new ScenarioResult("rebuild " + name + " (rebuild API)",
                    String.format("%,d events", events), ReportTable.count(events / seconds) + " events/s", null,
                    context.systems().usage(), String.format("%.1f s, live version kept serving reads", seconds)));
        }
    }

    /** Raw read through Axon's JDBC engine, twice (cold JVM code, then warm), on a private copy. */
    static ReadSpeed rawRead(BenchContext context) {
        Path copy = copyEventStore(context.systems().productData(), context.scratch().resolve("raw-read"));
        String url = EventStoreReader.privateUrl(copy);
        BenchContext.log("raw read of the event stream (Axon JdbcEventStorageEngine.readEvents + Jackson)");
        EventStoreReader.ReadResult cold = EventStoreReader.readAll(url);
        EventStoreReader.ReadResult warm = EventStoreReader.readAll(url);
        context.report().add(new ScenarioResult("raw read + deserialize, no projection",
                String.format("%,d events", warm.events()), ReportTable.count(warm.perSecond()) + " events/s", null,
                Map.of(), String.format("in the bench JVM; first (cold) pass %s events/s",
                ReportTable.count(cold.perSecond()))));
        return new ReadSpeed(warm.events(), warm.perSecond());
    }

    record ReadSpeed(long events, double perSecond) {
    }

    /**
     * A fresh query side on a copy of the event store (no read models, no tokens): every projection
     * catches up from the first event at once. Call with the command side and query side stopped.
     */
    static void freshQuerySide(BenchContext context, ReadSpeed raw) {
        Path dataDir = context.scratch().resolve("rebuild");
        copyEventStore(context.systems().productData(), dataDir);
        long head = EventStoreReader.head(EventStoreReader.privateUrl(dataDir));
        BenchContext.log("full catch-up of a fresh query side on a copy of " + (head + 1) + " events");
        long launched = System.nanoTime();
        ManagedProcess query = context.systems().startQuerySide(dataDir);
        long healthy = System.nanoTime();
        ProjectionProbe probe = new ProjectionProbe(query.target());
        Map<String, Long> atHealthy = probe.positions();
        Map<String, Long> reached = probe.awaitAll(head, Duration.ofHours(6));
        Map<String, ManagedProcess.Usage> usage = Map.of(Systems.QUERY, query.usage());
        for (Map.Entry<String, Long> entry : new LinkedHashMap<>(reached).entrySet()) {
            String name = entry.getKey();
            double seconds = (entry.getValue() - healthy) / 1e9;
            long events = head - atHealthy.getOrDefault(name, -1L);
            double perSecond = events / Math.max(seconds, 1e-3);
            context.report().add(new ScenarioResult("rebuild " + name + " (fresh query side, all at once)",
                    String.format("%,d events", head + 1), ReportTable.count(perSecond) + " events/s", null, usage,
                    String.format("%.0f %% of raw read; %.1f s from launch (JVM start %.1f s); all %d projections "
                                    + "share the cores", 100 * perSecond / raw.perSecond(),
                            (entry.getValue() - launched) / 1e9, query.startSeconds(), reached.size())));
        }
        context.systems().stop(Systems.QUERY);
    }

    private static Path copyEventStore(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            // Everything but the read models: the keys too (personal fields in the events are encrypted
            // with keys that master.key wraps).
            for (Path file : files.filter(f -> Files.isRegularFile(f)
                    && !f.getFileName().toString().startsWith("readmodel")).toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> projections(HttpTarget query) {
        JsonNode answer = query.get("/api/ops/projections").json();
        JsonNode items = answer.isArray() ? answer : answer.path("projections");
        return Stream.iterate(0, i -> i < items.size(), i -> i + 1).map(items::get).toList();
    }

    /** A row of a version being rebuilt (it names who asked for it), not of a live version. */
    private static boolean isRebuild(JsonNode projection) {
        return projection.hasNonNull("requestedBy");
    }

    private static JsonNode find(List<JsonNode> projections, String name) {
        return projections.stream().filter(p -> name.equals(p.path("name").asText()) && !isRebuild(p)).findFirst()
                .orElseThrow(() -> new IllegalStateException("projection " + name + " disappeared"));
    }
}
