package io.crmhistory.bench.run;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the report.
 *
 * @param work       what was done, e.g. "50,000 lines"
 * @param throughput e.g. "12,345 lines/s"; blank where the scenario measures a duration
 * @param latencies  microseconds; null where latency is not the point
 * @param usage      peak memory and CPU time of each process during the scenario, by process name
 */
record ScenarioResult(String scenario, String work, String throughput, Histogram latencies,
                      Map<String, ManagedProcess.Usage> usage, String note) {

    ScenarioResult {
        usage = new LinkedHashMap<>(usage);
    }

    static ScenarioResult notAvailable(String scenario, String why) {
        return new ScenarioResult(scenario, "-", "n/a", null, Map.of(), why);
    }
}
