package io.crmhistory.bench.run;

import java.util.Locale;

/**
 * How much work each scenario does. The same run scales from a smoke run (about a minute, to check the
 * machinery) to the large run the targets are set for (1M customers, about 10M events).
 *
 * @param importCustomers customers in the bulk import (about 10.5 events each)
 * @param ingestCommands  commands per HTTP ingest run (per concurrency level and per system)
 * @param readSeconds     length of the query-latency-under-ingest scenario
 * @param asOfEvents      events of the customer whose state is reconstructed as of a past instant
 */
public record BenchSize(String name, long importCustomers, long ingestCommands, int readSeconds, int asOfEvents) {

    public static BenchSize named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "smoke" -> new BenchSize("smoke", 1_000, 1_000, 10, 10_000);
            case "medium" -> new BenchSize("medium", 50_000, 20_000, 60, 10_000);
            // 50,000 commands per ingest run: about two minutes at the rates measured, 50 latencies per p99.9
            // bucket; what the large run scales is the store underneath (1M customers), not the length of each
            // ingest run (200,000 made the six runs 45 of the run's minutes).
            case "large" -> new BenchSize("large", 1_000_000, 50_000, 300, 10_000);
            default -> throw new IllegalArgumentException("--size must be smoke, medium or large, not '" + name + "'");
        };
    }

    /** A size changed by an option is marked, so a report never passes it off as the named size. */
    private String custom() {
        return name.endsWith("*") ? name : name + "*";
    }

    BenchSize withImportCustomers(long customers) {
        return new BenchSize(custom(), customers, ingestCommands, readSeconds, asOfEvents);
    }

    BenchSize withIngestCommands(long commands) {
        return new BenchSize(custom(), importCustomers, commands, readSeconds, asOfEvents);
    }

    BenchSize withReadSeconds(int seconds) {
        return new BenchSize(custom(), importCustomers, ingestCommands, seconds, asOfEvents);
    }
}
