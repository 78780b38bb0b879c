package io.crmhistory.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Full rebuild of every projection from the event store, next to the raw speed of reading and
 * deserializing the same stream with no projection at all.
 * Each projection is rebuilt in turn through the rebuild API ({@code POST /api/ops/projections/{name}/rebuild})
 * on the running query side, beside its live version, as ops do it. A rebuild leaves work behind once its version is
 * live: the replaced version's collections are dropped and emptied, and a rebuilt segment version reconciles the
 * segment change log with every customer. That work is timed on its own and waited for before the next rebuild
 * starts, so no rebuild is timed beside the one before it (session 49: the value rebuild at a million took 444 s
 * beside the segment rebuild's leftovers, 254 s alone).
 */
final class RebuildScenario {

    private static final String SEGMENT = "segment";
    /** More than the segment change log's reconciliation at a million customers (about 4 minutes, session 49). */
    private static final Duration FOLLOW_UP_LIMIT = Duration.ofMinutes(20);

    private RebuildScenario() {
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
        ProjectionProbe probe = new ProjectionProbe(query);
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
            PatientPoll poll = new PatientPoll(name, () -> projections(query));
            while (!(state.path("version").asLong() > previousVersion && "LIVE".equals(state.path("status").asText()))) {
                Pause.briefly(Duration.ofMillis(50));
                List<JsonNode> answer = poll.next();
                state = answer == null ? state : find(answer, name);
            }
            long live = System.nanoTime();
            double seconds = (live - start) / 1e9;
            long events = state.path("headPosition").asLong() + 1;
            Map<String, ManagedProcess.Usage> usage = context.systems().usage();
            String followUp = followUp(probe, name, state.path("version").asLong(), live);
            context.report().add(new ScenarioResult("rebuild " + name + " (rebuild API)",
                    String.format("%,d events", events), ReportTable.count(events / seconds) + " events/s", null,
                    usage, String.format("%.1f s, live version kept serving reads; %s", seconds, followUp)));
        }
    }

    /**
     * Waits for the work a rebuild leaves once live (see the class comment) and says how long it took, or that it
     * did not end within {@link #FOLLOW_UP_LIMIT} (the run goes on: the next rebuild is then timed beside it).
     */
    private static String followUp(ProjectionProbe probe, String name, long version, long liveSince) {
        boolean segments = SEGMENT.equals(name);
        String what = segments ? "the replaced version dropped and the change log reconciled"
                : "the replaced version dropped";
        long deadline = liveSince + FOLLOW_UP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (probe.retiredVersionsDropped(name) && (!segments || probe.changeLogReconciled(version))) {
                return String.format("%s %.1f s later", what, (System.nanoTime() - liveSince) / 1e9);
            }
            Pause.briefly(Duration.ofMillis(200));
        }
        BenchContext.log("rebuild of " + name + ": " + what + " not done " + FOLLOW_UP_LIMIT.toSeconds()
                + " s after it went live; the next rebuild is timed beside it");
        return what + " not within " + FOLLOW_UP_LIMIT.toSeconds() + " s";
    }

    /**
     * The same raw read served by the running command side over H2's {@code AUTO_SERVER} link, the way every
     * processor of the query side reads the store: the store's limit as deployed, next to the one in one process.
     */
    static void rawReadOverLink(BenchContext context) {
        String url = EventStoreReader.sharedUrl(context.systems().productData());
        BenchContext.log("raw read of the event stream over the command side's AUTO_SERVER link");
        context.systems().resetPeaks();
        EventStoreReader.ReadResult cold = EventStoreReader.readAll(url);
        EventStoreReader.ReadResult warm = EventStoreReader.readAll(url);
        context.report().add(new ScenarioResult("raw read + deserialize over the link, no projection",
                String.format("%,d events", warm.events()), ReportTable.count(warm.perSecond()) + " events/s", null,
                context.systems().usage(), String.format("in the bench JVM, rows served by the running command side"
                + " as the query side reads them; first (cold) pass %s events/s", ReportTable.count(cold.perSecond()))));
    }

    /** Raw read through Axon's JDBC engine, twice (cold JVM code, then warm), on a private copy. */
    static void rawRead(BenchContext context) {
        Path copy = copyEventStore(context.systems().productData(), context.scratch().resolve("raw-read"));
        String url = EventStoreReader.privateUrl(copy);
        BenchContext.log("raw read of the event stream (Axon JdbcEventStorageEngine.readEvents + Jackson)");
        EventStoreReader.ReadResult cold = EventStoreReader.readAll(url);
        EventStoreReader.ReadResult warm = EventStoreReader.readAll(url);
        context.report().add(new ScenarioResult("raw read + deserialize, no projection",
                String.format("%,d events", warm.events()), ReportTable.count(warm.perSecond()) + " events/s", null,
                Map.of(), String.format("in the bench JVM; first (cold) pass %s events/s",
                ReportTable.count(cold.perSecond()))));
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

    /**
     * The progress poll of one rebuild: a poll that fails (a 60 s timeout while the query side is busy, a dropped
     * connection) is logged and the next one tried, so a two-hour run does not end on one slow answer; after
     * {@value #TOLERATED_FAILURES} failures in a row the server is taken to be stuck and the run stops.
     */
    static final class PatientPoll {

        static final int TOLERATED_FAILURES = 5;

        private final String projection;
        private final Supplier<List<JsonNode>> projections;
        private int failuresInARow;

        PatientPoll(String projection, Supplier<List<JsonNode>> projections) {
            this.projection = projection;
            this.projections = projections;
        }

        /** The projections, or null when this poll failed and the next should be tried. */
        List<JsonNode> next() {
            try {
                List<JsonNode> answer = projections.get();
                failuresInARow = 0;
                return answer;
            } catch (UncheckedIOException e) {
                failuresInARow++;
                if (failuresInARow >= TOLERATED_FAILURES) {
                    throw e;
                }
                BenchContext.log("polling the rebuild of " + projection + " failed (" + e.getMessage() + ": "
                        + e.getCause() + "); " + failuresInARow + " of " + TOLERATED_FAILURES + " tolerated in a row");
                return null;
            }
        }
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
