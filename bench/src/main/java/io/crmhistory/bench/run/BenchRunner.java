package io.crmhistory.bench.run;

import io.crmhistory.bench.workload.CdnowPatterns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs every scenario on a scratch data directory and prints the table: start the command side, the query side
 * and the baseline; warm up; bulk import; catch-up; HTTP ingest at 1/4/16 clients on both systems (with the
 * catch-up after the last product level); bcrypt's cost; query latency under ingest; as-of reconstruction; then
 * the full rebuild of every projection, the raw read of the event store over the running command side's link
 * and, with the sides stopped, in one process.
 * <p>
 * With {@code --until} and {@code --from} the same run is done in parts ({@link BenchPhase}), each part on the
 * data the one before left in the scratch directory ({@link BenchProgress}), its report continuing the earlier one.
 */
public final class BenchRunner {

    private BenchRunner() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            // A mistyped option: say which, without a stack trace.
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        // The commit is the working directory's: the jars may come from an export of it (--repo).
        Machine machine = Machine.describe(Path.of("").toAbsolutePath());
        Path scratch = scratch(options);
        BenchProgress progress = options.continuation() ? BenchProgress.load(scratch)
                : new BenchProgress(null, 0, 0, 0, options.size().toString(), options.seed());
        if (options.continuation()) {
            progress.checkContinuation(options);
        }
        int part = progress.part() + 1;
        if (options.continuation()) {
            // Counted before any phase runs, so a part stopped half way is followed by one with a higher number,
            // whose ids (BenchContext.prefix) differ from those the stopped part already wrote.
            progress = progress.startedPart(part);
            progress.save(scratch);
        }
        String earlierReport = options.continuation() ? readEarlierReport(scratch) : "";
        BenchContext.log("bench " + options.size() + " on " + machine.summary() + "; scratch " + scratch
                + (options.inParts()
                ? "; part " + part + ": " + options.from().cliName() + " to " + options.until().cliName() : ""));
        CdnowPatterns patterns = CdnowPatterns.load(options.cdnowMaster());
        Report report = new Report(machine, options, scratch, part, earlierReport);
        try (Systems systems = new Systems(options, scratch)) {
            BenchContext context = new BenchContext(options, patterns, systems, report.table(), scratch, part);
            systems.startCommandSide();
            systems.startQuerySide(systems.productData());
            systems.startBaseline();
            if (options.continuation()) {
                awaitProjectionsCaughtUp(context);
            }

            long importedCustomers = progress.importedCustomers();
            long customers = progress.customers();
            if (options.runs(BenchPhase.IMPORT) || options.runs(BenchPhase.INGEST) || options.runs(BenchPhase.QUERIES)) {
                customers += IngestScenario.warmUp(context);
            }
            if (options.runs(BenchPhase.IMPORT)) {
                ImportScenario.Outcome imported = ImportScenario.run(context);
                importedCustomers = imported.stats().of("RegisterCustomer");
                customers += importedCustomers;
                CatchUpScenario.run(context, "after bulk import", imported.endNanos(), customers, null);
                progress = completed(progress, BenchPhase.IMPORT, part, importedCustomers, customers, scratch);
            }
            if (options.runs(BenchPhase.INGEST)) {
                customers = IngestScenario.run(context, customers);
                progress = completed(progress, BenchPhase.INGEST, part, importedCustomers, customers, scratch);
            }
            if (options.runs(BenchPhase.QUERIES)) {
                AuthenticationCost.run(context);
                QueryLoadScenario.run(context, importedCustomers);
                progress = completed(progress, BenchPhase.QUERIES, part, importedCustomers, customers, scratch);
            }
            if (options.runs(BenchPhase.AS_OF)) {
                AsOfScenario.run(context);
                progress = completed(progress, BenchPhase.AS_OF, part, importedCustomers, customers, scratch);
            }
            if (options.runs(BenchPhase.REBUILDS)) {
                rebuilds(context);
                completed(progress, BenchPhase.REBUILDS, part, importedCustomers, customers, scratch);
            }
        } finally {
            report.publish();
            if (!options.keep() && options.scratch() == null) {
                deleteTree(scratch);
            }
        }
        if (options.until() != BenchPhase.LAST) {
            BenchContext.log("part " + part + " done; continue with the same options and --from="
                    + options.until().next().cliName());
        }
    }

    private static void rebuilds(BenchContext context) {
        Systems systems = context.systems();
        RebuildScenario.cancelLeftOverRebuilds(context);
        RebuildScenario.viaApi(context);
        RebuildScenario.rawReadOverLink(context);
        systems.stop(Systems.BASELINE);
        systems.stop(Systems.QUERY);
        systems.stop(Systems.COMMAND);
        DiskUsage.run(context);
        RebuildScenario.rawRead(context);
    }

    private static BenchProgress completed(BenchProgress progress, BenchPhase phase, int part, long importedCustomers,
                                           long customers, Path scratch) {
        BenchProgress next = progress.after(phase, part, importedCustomers, customers);
        next.save(scratch);
        return next;
    }

    /** The sides of a continued run start on the data the last part left: measure nothing before they are current. */
    private static void awaitProjectionsCaughtUp(BenchContext context) {
        long head = EventStoreReader.head(EventStoreReader.sharedUrl(context.systems().productData()));
        BenchContext.log("waiting for the projections to reach the event store's head " + head);
        ProjectionProbe probe = new ProjectionProbe(context.query());
        probe.awaitAll(head, Duration.ofMinutes(30));
        long start = System.nanoTime();
        probe.awaitRefreshesIdle(Duration.ofHours(1));
        BenchContext.log(String.format("background refreshes idle after %.1f s more", (System.nanoTime() - start) / 1e9));
    }

    private static String readEarlierReport(Path scratch) {
        Path file = scratch.resolve(Report.FILE);
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a data directory's event store twice and prints the speed of each pass: a stopped one's in this process,
     * or with {@code overLink} a running command side's through its {@code AUTO_SERVER} link.
     */
    public static void readEvents(Path dataDir, boolean overLink) {
        String url = overLink ? EventStoreReader.sharedUrl(dataDir) : EventStoreReader.privateUrl(dataDir);
        for (int pass = 1; pass <= 2; pass++) {
            EventStoreReader.ReadResult result = EventStoreReader.readAll(url);
            BenchContext.log(String.format("pass %d: %,d events in %.1f s, %s events/s", pass, result.events(),
                    result.elapsedNanos() / 1e9, ReportTable.count(result.perSecond())));
        }
    }

    private static Path scratch(BenchOptions options) {
        try {
            if (options.continuation()) {
                return options.scratch();
            }
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
