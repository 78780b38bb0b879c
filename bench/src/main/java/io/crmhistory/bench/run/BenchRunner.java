package io.crmhistory.bench.run;

import io.crmhistory.bench.workload.CdnowPatterns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs every scenario in one go on a scratch data directory and prints the table:
 * start the command side, the query side and the baseline; warm up; bulk import; catch-up; HTTP
 * ingest at 1/4/16 clients on both systems (with the catch-up after the last product level);
 * bcrypt's cost; query latency under ingest; as-of reconstruction; then, with the sides stopped,
 * the raw read of the event store and the full rebuild of every projection.
 */
public final class BenchRunner {

    private BenchRunner() {
    }

    public static void main(String[] args) {
        BenchOptions options = BenchOptions.parse(List.of(args));
        // The commit is the working directory's: the jars may come from an export of it (--repo).
        Machine machine = Machine.describe(Path.of("").toAbsolutePath());
        Path scratch = scratch(options);
        BenchContext.log("bench " + options.size() + " on " + machine.summary() + "; scratch " + scratch);
        CdnowPatterns patterns = CdnowPatterns.load(options.cdnowMaster());
        ReportTable report = new ReportTable(table -> write(table, machine, options, scratch, "(run in progress)"));
        try (Systems systems = new Systems(options, scratch)) {
            BenchContext context = new BenchContext(options, patterns, systems, report, scratch);
            systems.startCommandSide();
            systems.startQuerySide(systems.productData());
            systems.startBaseline();
            ApiSurface querySurface = ApiSurface.of(context.query());

            IngestScenario.warmUp(context);
            ImportScenario.Outcome imported = ImportScenario.run(context);
            long customers = imported.stats().of("RegisterCustomer") + IngestScenario.warmUpCustomers(context);
            CatchUpScenario.run(context, "after bulk import", imported.endNanos(), customers, null);

            IngestScenario.run(context, customers);
            AuthenticationCost.run(context);
            QueryLoadScenario.run(context, imported.stats().of("RegisterCustomer"));
            AsOfScenario.run(context, querySurface);
            if (RebuildScenario.apiAvailable(querySurface)) {
                RebuildScenario.viaApi(context);
            }
            systems.stop(Systems.BASELINE);
            systems.stop(Systems.QUERY);
            systems.stop(Systems.COMMAND);
            DiskUsage.run(context);
            RebuildScenario.ReadSpeed raw = RebuildScenario.rawRead(context);
            if (!RebuildScenario.apiAvailable(querySurface)) {
                RebuildScenario.freshQuerySide(context, raw);
            }
        } finally {
            publish(report, machine, options, scratch);
            if (!options.keep() && options.scratch() == null) {
                deleteTree(scratch);
            }
        }
    }

    /** Reads a stopped data directory's event store twice and prints the speed of each pass. */
    public static void readEvents(Path dataDir) {
        String url = EventStoreReader.privateUrl(dataDir);
        for (int pass = 1; pass <= 2; pass++) {
            EventStoreReader.ReadResult result = EventStoreReader.readAll(url);
            BenchContext.log(String.format("pass %d: %,d events in %.1f s, %s events/s", pass, result.events(),
                    result.elapsedNanos() / 1e9, ReportTable.count(result.perSecond())));
        }
    }

    private static void publish(ReportTable report, Machine machine, BenchOptions options, Path scratch) {
        System.out.println();
        System.out.println(markdown(report, machine, options, ""));
        Path reportFile = write(report, machine, options, scratch, "");
        BenchContext.log("report written to " + reportFile);
    }

    /** Writes the report file: after every row while the run goes on, and once more at its end. */
    private static Path write(ReportTable report, Machine machine, BenchOptions options, Path scratch, String status) {
        Path reportFile = options.report() != null ? options.report() : scratch.resolve("report.md");
        try {
            Files.createDirectories(reportFile.toAbsolutePath().getParent());
            Files.writeString(reportFile, markdown(report, machine, options, status));
        } catch (IOException e) {
            BenchContext.log("could not write the report to " + reportFile + ": " + e.getMessage());
        }
        return reportFile;
    }

    private static String markdown(ReportTable report, Machine machine, BenchOptions options, String status) {
        return "Bench " + options.size() + ", seed " + options.seed() + (status.isEmpty() ? "" : " " + status) + "\n\n"
                + machine.summary()
                + "\n\nMemory: peak RSS from /proc/<pid>/status VmHWM (reset per scenario) / peak heap in use "
                + "from /actuator/metrics/jvm.memory.used (area heap, sampled each second); every JVM runs with "
                + "-Xmx1g.\n\n" + report.render();
    }

    private static Path scratch(BenchOptions options) {
        try {
            if (options.scratch() != null) {
                Files.createDirectories(options.scratch());
                try (Stream<Path> entries = Files.list(options.scratch())) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException("--scratch=" + options.scratch() + " must be empty");
                    }
                }
                return options.scratch();
            }
            return Files.createTempDirectory("crm-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            BenchContext.log("could not delete " + root + ": " + e.getMessage());
        }
    }
}
