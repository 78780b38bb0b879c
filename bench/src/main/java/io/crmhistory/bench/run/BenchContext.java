package io.crmhistory.bench.run;

import io.crmhistory.bench.workload.CdnowPatterns;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** What every scenario needs: the options, the CDNOW patterns, the running systems, the report, a log. */
record BenchContext(BenchOptions options, CdnowPatterns patterns, Systems systems, ReportTable report, Path scratch) {

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
