package io.crmhistory.bench.run;

import io.crmhistory.bench.workload.WorkloadGenerator;

import java.util.List;
import java.util.Map;

/**
 * HTTP ingest: the same commands (same generator seed and ids) sent with 1, 4 and 16 concurrent
 * clients to the product's command side and to the baseline, each system with its own store, so the
 * event-sourced write path shows as a ratio against the plain document update.
 */
final class IngestScenario {

    static final List<Integer> CLIENTS = List.of(1, 4, 16);

    private IngestScenario() {
    }

    /** Commands of a workload that is never cut short: enough customers to supply {@code commands}. */
    static WorkloadGenerator workload(BenchContext context, String prefix, long seed, long commands) {
        // About 9.5 commands per customer on average; the driver stops at the limit.
        return new WorkloadGenerator(context.patterns(), seed, prefix, commands / 4 + 100);
    }

    /**
     * Twice a level's commands, at most 40,000: fresh JVMs are still compiling the write path after a few thousand
     * commands (session 38 at 100,000 customers: after 3,000 the command side spent 2.7-3.0 ms of CPU per command at
     * 1 client with C2 busy beside it, after 40,000 1.1 ms), and a part of a run starts both sides fresh.
     */
    private static long warmUpCommands(BenchContext context) {
        return Math.min(40_000, 2 * context.size().ingestCommands());
    }

    /**
     * Warms both JVMs' JIT on the write path so the first measured level is not the slowest by default.
     *
     * @return the customers the warm-up registered on the product (the same ones on the baseline)
     */
    static long warmUp(BenchContext context) {
        long commands = warmUpCommands(context);
        String prefix = context.prefix("warm");
        BenchContext.log("warming up both write paths with " + commands + " commands each");
        for (HttpTarget target : List.of(context.product(), context.baseline())) {
            LoadDriver.Result result = LoadDriver.run(target, workload(context, prefix, 7, commands), 4, commands,
                    Long.MAX_VALUE);
            if (result.errors() > 0) {
                BenchContext.log("warm-up errors on " + target.name() + ": " + result.errorSamples());
            }
        }
        return registrationsAmongFirst(context, prefix, 7, commands, commands);
    }

    /**
     * Runs every concurrency level on the product, then on the baseline. Right after the product's last
     * level, the projection catch-up is measured (before the baseline's load competes for the cores).
     *
     * @param customersBefore customers the product had registered before this scenario
     * @return the customers the product has registered after it
     */
    static long run(BenchContext context, long customersBefore) {
        long commands = context.size().ingestCommands();
        long customers = customersBefore;
        for (int clients : CLIENTS) {
            String prefix = context.prefix("h" + clients);
            long seed = context.options().seed() + clients;
            Measured product = measure(context, context.product(), prefix, seed, clients, commands);
            customers += registrationsAmongFirst(context, prefix, seed, commands, product.result().completed());
            if (clients == CLIENTS.get(CLIENTS.size() - 1)) {
                LoadDriver.LastWrite last = product.result().lastWrite();
                CatchUpScenario.run(context, "after HTTP ingest (" + clients + " clients)",
                        last == null ? System.nanoTime() : last.ackedNanos(), customers, last);
            }
            Measured baseline = measure(context, context.baseline(), prefix, seed, clients, commands);
            addRow(context, "HTTP ingest, product, " + clients + " client(s)", product,
                    String.format("%.2f x baseline", product.result().perSecond() / baseline.result().perSecond()));
            addRow(context, "HTTP ingest, baseline, " + clients + " client(s)", baseline, "");
        }
        return customers;
    }

    private static long registrationsAmongFirst(BenchContext context, String prefix, long seed, long commands, long sent) {
        WorkloadGenerator replay = workload(context, prefix, seed, commands);
        for (long i = 0; i < sent && replay.hasNext(); i++) {
            replay.next();
        }
        return replay.stats().of("RegisterCustomer");
    }

    private static Measured measure(BenchContext context, HttpTarget target, String prefix, long seed,
                                    int clients, long commands) {
        BenchContext.log("HTTP ingest: " + commands + " commands, " + clients + " client(s) -> " + target.name());
        context.systems().resetPeaks();
        LoadDriver.Result result = LoadDriver.run(target, workload(context, prefix, seed, commands), clients, commands,
                Long.MAX_VALUE);
        return new Measured(result, context.systems().usage());
    }

    private record Measured(LoadDriver.Result result, Map<String, ManagedProcess.Usage> usage) {
    }

    private static void addRow(BenchContext context, String scenario, Measured measured, String note) {
        LoadDriver.Result result = measured.result();
        context.report().add(new ScenarioResult(scenario, String.format("%,d commands", result.completed()),
                ReportTable.count(result.perSecond()) + " cmd/s", result.latencies(), measured.usage(),
                note + errors(result)));
    }

    private static String errors(LoadDriver.Result result) {
        return result.errors() == 0 ? "" : "; " + result.errors() + " errors, e.g. " + result.errorSamples();
    }
}
