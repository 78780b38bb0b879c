package io.crmhistory.bench.run;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * What the parts of a run done so far on one scratch directory left for the next: the last phase completed,
 * how many parts ran, and the customer counts the later phases need. Saved after every completed phase, so a
 * part stopped in the middle of a phase is continued from that phase.
 *
 * @param completed         the last phase that ran to its end
 * @param part              the number of the last part that started (1 for the first)
 * @param importedCustomers customers registered by the bulk import (the query load reads among them)
 * @param customers         customers the product holds (import, warm-ups and ingest)
 * @param size              the size the run was started with ({@link BenchSize#toString()})
 * @param seed              the workload seed the run was started with
 */
record BenchProgress(BenchPhase completed, int part, long importedCustomers, long customers, String size, long seed) {

    static final String FILE = "bench-progress.properties";

    static BenchProgress load(Path scratch) {
        Path file = scratch.resolve(FILE);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--scratch=" + scratch + " holds no " + FILE
                    + ": a run continued with --from must use the scratch directory of the run it continues");
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BenchProgress(BenchPhase.named(properties.getProperty("completed")),
                Integer.parseInt(properties.getProperty("part")),
                Long.parseLong(properties.getProperty("importedCustomers")),
                Long.parseLong(properties.getProperty("customers")),
                properties.getProperty("size"),
                Long.parseLong(properties.getProperty("seed")));
    }

    BenchProgress startedPart(int started) {
        return new BenchProgress(completed, started, importedCustomers, customers, size, seed);
    }

    /** Written to a temporary file, then moved over the old one: a part killed while saving leaves the last one. */
    void save(Path scratch) {
        Properties properties = new Properties();
        properties.setProperty("completed", completed.cliName());
        properties.setProperty("part", String.valueOf(part));
        properties.setProperty("importedCustomers", String.valueOf(importedCustomers));
        properties.setProperty("customers", String.valueOf(customers));
        properties.setProperty("size", size);
        properties.setProperty("seed", String.valueOf(seed));
        Path file = scratch.resolve(FILE);
        Path next = scratch.resolve(FILE + ".new");
        try (Writer out = Files.newBufferedWriter(next)) {
            properties.store(out, "bench progress; continue with --from=" + (completed == BenchPhase.LAST ? "(done)"
                    : completed.next().cliName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A continuation starts with the phase after the last completed one, with the same size and seed: repeating
     * a phase would count its writes twice, skipping one would leave the next without its data, and another size
     * or seed would measure a different workload than the report's first part.
     */
    void checkContinuation(BenchOptions options) {
        if (completed == BenchPhase.LAST) {
            throw new IllegalArgumentException("the run in this scratch directory is complete; start a new one");
        }
        BenchPhase next = completed.next();
        if (options.from() != next) {
            throw new IllegalArgumentException("the run in this scratch directory completed " + completed.cliName()
                    + "; continue it with --from=" + next.cliName() + ", not --from=" + options.from().cliName());
        }
        if (!size.equals(options.size().toString()) || seed != options.seed()) {
            throw new IllegalArgumentException("the run in this scratch directory was started with " + size
                    + ", seed " + seed + "; continue it with the same --size (and --customers, --commands,"
                    + " --read-seconds) and --seed");
        }
    }

    BenchProgress after(BenchPhase phase, int part, long importedCustomers, long customers) {
        return new BenchProgress(phase, part, importedCustomers, customers, size, seed);
    }
}
