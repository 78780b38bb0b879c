package io.crmhistory.bench.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The run's parts, in order. A large run lasts about three hours, longer than a working session: with
 * {@code --until} and {@code --from} it is done in two or more parts on the same scratch directory, each part
 * ending after a whole phase with the sides stopped cleanly.
 */
enum BenchPhase {
    /** Bulk import, then the projections' catch-up after it. */
    IMPORT,
    /** HTTP ingest at 1, 4 and 16 clients on the product and the baseline, with the catch-up after the last. */
    INGEST,
    /** bcrypt's cost, then the query latency under a concurrent ingest. */
    QUERIES,
    /** As-of reconstruction of a customer with 10,000 events. */
    AS_OF,
    /**
     * Every projection rebuilt through the API, the raw read over the command side's link, then the sides stopped,
     * the disk usage and the raw read in one process.
     */
    REBUILDS;

    static final BenchPhase FIRST = IMPORT;
    static final BenchPhase LAST = REBUILDS;

    /** The name used on the command line and in the progress file: {@code as-of}, {@code rebuilds}. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The phase after this one; call only for a phase before {@link #LAST}. */
    BenchPhase next() {
        return values()[ordinal() + 1];
    }

    static BenchPhase named(String name) {
        return Arrays.stream(values()).filter(p -> p.cliName().equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown phase '" + name + "' (phases: "
                        + Arrays.stream(values()).map(BenchPhase::cliName).collect(Collectors.joining(", ")) + ")"));
    }
}
