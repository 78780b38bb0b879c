package io.crmhistory.bench.run;

import io.crmhistory.bench.workload.CdnowPatterns;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * What every scenario needs: the options, the CDNOW patterns, the running systems, the report, a log, and which
 * part of a run in parts this is (1 for a run in one go).
 */
record BenchContext(BenchOptions options, CdnowPatterns patterns, Systems systems, ReportTable report, Path scratch,
                    int part) {

    /**
     * The id prefix of a workload that writes: as given in the first part, marked with the part after it, so a
     * phase started again after a part stopped half way never sends the ids the stopped one already wrote.
     */
    String prefix(String base) {
        return part == 1 ? base : base + "p" + part;
    }

    BenchSize size() {
        return options.size();
    }

    HttpTarget product() {
        return systems.get(Systems.COMMAND).target();
    }

    HttpTarget query() {
        return systems.get(Systems.QUERY).target();
    }

    HttpTarget baseline() {
        return systems.get(Systems.BASELINE).target();
    }

    static void log(String message) {
        System.out.println("[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
    }
}
