package io.crmhistory.bench.run;

import io.crmhistory.bench.workload.WorkloadGenerator;
import io.crmhistory.bench.workload.WorkloadStats;
import org.HdrHistogram.Histogram;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bulk import through {@code POST /api/import}: the workload is streamed to NDJSON files of at most
 * {@link #CHUNK_LINES} lines (so a large run is several requests, none held in memory anywhere), then
 * posted one after the other. Lines per second over all requests.
 */
final class ImportScenario {

    static final String PREFIX = "imp";
    static final int CHUNK_LINES = 100_000;

    record Outcome(long lines, long accepted, long endNanos, WorkloadStats stats) {
    }

    private ImportScenario() {
    }

    static Outcome run(BenchContext context) {
        long customers = context.size().importCustomers();
        BenchContext.log("generating the import workload: " + customers + " customers");
        WorkloadGenerator generator = new WorkloadGenerator(context.patterns(), context.options().seed(), PREFIX, customers);
        long generateStart = System.nanoTime();
        List<Path> chunks = writeChunks(generator, context.scratch().resolve("import"));
        double generateSeconds = (System.nanoTime() - generateStart) / 1e9;
        long lines = generator.stats().commands();
        BenchContext.log(String.format("generated %,d lines in %.1f s (%,.0f lines/s) into %d file(s)", lines,
                generateSeconds, lines / generateSeconds, chunks.size()));

        context.systems().resetPeaks();
        Histogram requestLatencies = LoadDriver.newHistogram();
        long accepted = 0;
        long duplicates = 0;
        long rejected = 0;
        List<String> errors = new ArrayList<>();
        long start = System.nanoTime();
        for (Path chunk : chunks) {
            long begin = System.nanoTime();
            HttpTarget.Response response = context.product().postFile("/api/import", "application/x-ndjson", chunk);
            requestLatencies.recordValue(Math.min(requestLatencies.getHighestTrackableValue(), (System.nanoTime() - begin) / 1000));
            if (!response.ok()) {
                throw new IllegalStateException("import failed: " + response.status() + " " + response.body());
            }
            var answer = response.json();
            accepted += answer.path("accepted").asLong();
            duplicates += answer.path("duplicates").asLong();
            rejected += answer.path("rejected").asLong();
            answer.path("errors").forEach(e -> {
                if (errors.size() < 3) {
                    errors.add("line " + e.path("line").asText() + ": " + e.path("detail").asText());
                }
            });
            BenchContext.log(String.format("imported %s: %s", chunk.getFileName(), answer.path("accepted").asText()
                    + " accepted"));
        }
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        String note = String.format("%d request(s) of <= %,d lines; accepted %,d, duplicates %,d, rejected %,d%s",
                chunks.size(), CHUNK_LINES, accepted, duplicates, rejected, errors.isEmpty() ? "" : "; e.g. " + errors);
        context.report().add(new ScenarioResult("bulk import (POST /api/import)",
                String.format("%,d lines (%,d customers)", lines, customers),
                ReportTable.count(lines / seconds) + " lines/s", chunks.size() > 1 ? requestLatencies : null,
                context.systems().usage(), note));
        chunks.forEach(ImportScenario::deleteQuietly);
        return new Outcome(lines, accepted, end, generator.stats());
    }

    private static List<Path> writeChunks(WorkloadGenerator generator, Path prefix) {
        List<Path> chunks = new ArrayList<>();
        try {
            while (generator.hasNext()) {
                Path chunk = Path.of(prefix + "-" + chunks.size() + ".ndjson");
                try (BufferedWriter out = Files.newBufferedWriter(chunk)) {
                    for (int i = 0; i < CHUNK_LINES && generator.hasNext(); i++) {
                        out.write(generator.next().importLine());
                        out.write('\n');
                    }
                }
                chunks.add(chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return chunks;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            BenchContext.log("could not delete " + file + ": " + e.getMessage());
        }
    }
}
