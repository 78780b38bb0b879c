package io.crmhistory.bench.run;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runner's command line: {@code --size=smoke|medium|large}, optionally {@code --customers=N},
 * {@code --commands=N}, {@code --read-seconds=N}, {@code --seed=N}, {@code --repo=DIR} (the checkout whose
 * module jars ({@code <module>/target/<module>.jar}) are run, default the working directory), {@code --datasets=DIR} (default
 * {@code <repo>/../shared/datasets}), {@code --scratch=DIR} (default a new
 * temporary directory), {@code --report=FILE} (the table as Markdown), {@code --keep} (keep the scratch
 * data), {@code --jfr} (record each side with Java Flight Recorder into the scratch directory),
 * {@code --from=PHASE} and {@code --until=PHASE} (run only those phases of {@link BenchPhase}; a part of a run, on a
 * named scratch directory).
 */
record BenchOptions(BenchSize size, long seed, Path repo, Path datasets, Path scratch, Path report, boolean keep, boolean jfr,
                    BenchPhase from, BenchPhase until) {

    private static final Set<String> KNOWN = Set.of("size", "customers", "commands", "read-seconds", "seed", "repo", "datasets",
            "scratch", "report", "keep", "jfr", "from", "until");

    static BenchOptions parse(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String key = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + " (known: " + String.join(", ", KNOWN) + ")");
            }
            values.put(key, eq < 0 ? "true" : arg.substring(eq + 1));
        }
        BenchSize size = BenchSize.named(values.getOrDefault("size", "smoke"));
        if (values.containsKey("customers")) {
            size = size.withImportCustomers(positive(values, "customers"));
        }
        if (values.containsKey("commands")) {
            size = size.withIngestCommands(positive(values, "commands"));
        }
        if (values.containsKey("read-seconds")) {
            size = size.withReadSeconds((int) positive(values, "read-seconds"));
        }
        Path repo = Path.of(values.getOrDefault("repo", ".")).toAbsolutePath().normalize();
        BenchPhase from = BenchPhase.named(values.getOrDefault("from", BenchPhase.FIRST.cliName()));
        BenchPhase until = BenchPhase.named(values.getOrDefault("until", BenchPhase.LAST.cliName()));
        if (from.compareTo(until) > 0) {
            throw new IllegalArgumentException("--from=" + from.cliName() + " comes after --until=" + until.cliName());
        }
        BenchOptions options = new BenchOptions(size,
                Long.parseLong(values.getOrDefault("seed", "20260101")),
                repo,
                Path.of(values.getOrDefault("datasets", repo.resolve("../shared/datasets").toString())).toAbsolutePath().normalize(),
                values.containsKey("scratch") ? Path.of(values.get("scratch")).toAbsolutePath() : null,
                values.containsKey("report") ? Path.of(values.get("report")).toAbsolutePath() : null,
                values.containsKey("keep"),
                values.containsKey("jfr"),
                from, until);
        if (options.inParts() && options.scratch() == null) {
            throw new IllegalArgumentException("a run in parts (--from, --until) needs --scratch=DIR, the same for every part");
        }
        return options;
    }

    /** Whether this part of the run includes {@code phase}. */
    boolean runs(BenchPhase phase) {
        return from.compareTo(phase) <= 0 && phase.compareTo(until) <= 0;
    }

    /** Whether this is one part of a run in parts (not every phase in one go). */
    boolean inParts() {
        return from != BenchPhase.FIRST || until != BenchPhase.LAST;
    }

    /** Whether an earlier part of the run left this part its data. */
    boolean continuation() {
        return from != BenchPhase.FIRST;
    }

    Path cdnowMaster() {
        return datasets.resolve("cdnow/cdnow_master.csv");
    }

    Path jar(String module) {
        return repo.resolve(module).resolve("target").resolve(module + ".jar");
    }

    private static long positive(Map<String, String> values, String key) {
        long value = Long.parseLong(values.get(key).replace("_", ""));
        if (value <= 0) {
            throw new IllegalArgumentException("--" + key + " must be positive");
        }
        return value;
    }
}
