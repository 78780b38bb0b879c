package io.crmhistory.bench.run;

import io.crmhistory.bench.workload.WorkloadGenerator;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Query latency while ingest runs: {@link #READERS} closed-loop readers ask for imported customers'
 * profile, value, segment and first history page in turn, while {@link #WRITERS} clients keep sending
 * commands to the command side (so the projections keep writing to the same read-model store). Before it, the same
 * readers alone for as long: the baseline that says how much of the latency under ingest is the ingest's (both
 * sides, the projections and the load generator share the machine's cores).
 */
final class QueryLoadScenario {

    static final int READERS = 4;
    static final int WRITERS = 4;
    private static final List<String> QUERIES = List.of("customer", "value", "segment", "history");

    private QueryLoadScenario() {
    }

    static void run(BenchContext context, long importedCustomers) {
        Map<String, Histogram> alone = measure(context, importedCustomers, null);
        measure(context, importedCustomers, alone);
    }

    /**
     * @param alone the readers' latencies without ingest; null to measure them (no writers), else the pass runs
     *              beside the writers and its rows compare with them
     */
    private static Map<String, Histogram> measure(BenchContext context, long importedCustomers,
                                                  Map<String, Histogram> alone) {
        boolean ingesting = alone != null;
        int seconds = context.size().readSeconds();
        BenchContext.log("query latency " + (ingesting ? "under ingest" : "with no ingest") + ": " + READERS
                + " readers, " + (ingesting ? WRITERS : 0) + " writers, " + seconds + " s");
        context.systems().resetPeaks();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
        try {
            Future<LoadDriver.Result> ingest = !ingesting ? null : pool.submit(() -> LoadDriver.run(context.product(),
                    new WorkloadGenerator(context.patterns(), context.options().seed() + 99, context.prefix("mix"), Long.MAX_VALUE / 2),
                    WRITERS, Long.MAX_VALUE, deadline));
            List<Future<Reader>> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                // Other customers in each pass, so that the second does not read what the first left in caches.
                long seed = context.options().seed() + i + (ingesting ? 0 : 1000);
                readers.add(pool.submit(() -> new Reader(context.query(), importedCustomers, seed).runUntil(deadline)));
            }
            Map<String, Histogram> merged = new LinkedHashMap<>();
            QUERIES.forEach(q -> merged.put(q, LoadDriver.newHistogram()));
            long errors = 0;
            List<String> samples = new ArrayList<>();
            for (Future<Reader> future : readers) {
                Reader reader = future.get();
                reader.latencies.forEach((q, h) -> merged.get(q).add(h));
                errors += reader.errors.get();
                samples.addAll(reader.errorSamples);
            }
            LoadDriver.Result writes = ingesting ? ingest.get() : null;
            Map<String, ManagedProcess.Usage> usage = context.systems().usage();
            String errorNote = errors == 0 ? "" : "; " + errors + " read errors, e.g. "
                    + samples.subList(0, Math.min(3, samples.size()));
            for (String query : QUERIES) {
                Histogram h = merged.get(query);
                String note = String.format("%,d customers in the read models", importedCustomers);
                if (ingesting) {
                    Histogram base = alone.get(query);
                    note += String.format("; p50 %.1f x, p99 %.1f x the reads alone",
                            h.getValueAtPercentile(50) / (double) Math.max(1, base.getValueAtPercentile(50)),
                            h.getValueAtPercentile(99) / (double) Math.max(1, base.getValueAtPercentile(99)));
                }
                context.report().add(new ScenarioResult("query " + query + (ingesting ? " under ingest" : ", no ingest"),
                        String.format("%,d reads, %d s", h.getTotalCount(), seconds),
                        ReportTable.count(h.getTotalCount() / (double) seconds) + " reads/s", h, usage,
                        ingesting ? note : note + errorNote));
            }
            if (ingesting) {
                context.report().add(new ScenarioResult("ingest during the query load", String.format("%,d commands",
                        writes.completed()), ReportTable.count(writes.perSecond()) + " cmd/s", writes.latencies(), usage,
                        errorNote.isEmpty() ? "" : errorNote.substring(2)));
            }
            return merged;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("query load failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One reader thread: a random imported customer, then each query in turn. */
    private static final class Reader {

        private final HttpTarget query;
        private final long customers;
        private final SplittableRandom random;
        private final Map<String, Histogram> latencies = new LinkedHashMap<>();
        private final AtomicLong errors = new AtomicLong();
        private final List<String> errorSamples = new ArrayList<>();

        Reader(HttpTarget query, long customers, long seed) {
            this.query = query;
            this.customers = customers;
            this.random = new SplittableRandom(seed);
            QUERIES.forEach(q -> latencies.put(q, LoadDriver.newHistogram()));
        }

        Reader runUntil(long deadline) {
            while (System.nanoTime() < deadline) {
                String id = "/api/customers/" + WorkloadGenerator.customerId(ImportScenario.PREFIX, random.nextLong(customers));
                time("customer", id);
                time("value", id + "/value");
                time("segment", id + "/segment");
                time("history", id + "/history?limit=50");
            }
            return this;
        }

        private void time(String name, String path) {
            long begin = System.nanoTime();
            HttpTarget.Response response = query.get(path);
            Histogram histogram = latencies.get(name);
            histogram.recordValue(Math.min(histogram.getHighestTrackableValue(), (System.nanoTime() - begin) / 1000));
            if (!response.ok()) {
                errors.incrementAndGet();
                if (errorSamples.size() < 3) {
                    errorSamples.add(path + " -> " + response.status() + " " + response.body());
                }
            }
        }
    }
}
