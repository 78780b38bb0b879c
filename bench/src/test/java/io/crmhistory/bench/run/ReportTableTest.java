package io.crmhistory.bench.run;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTableTest {

    @Test
    void rendersOneMarkdownRowPerScenarioWithPercentilesInMillisecondsAndMemoryPerProcess() {
        Histogram latencies = LoadDriver.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            latencies.recordValue(i * 10L);
        }
        List<Integer> rowsSeen = new ArrayList<>();
        ReportTable table = new ReportTable(sofar -> rowsSeen.add(sofar.rows().size()));
        table.add(new ScenarioResult("ingest", "1,000 commands", "500 cmd/s", latencies,
                Map.of("command-side", new ManagedProcess.Usage(600L << 20, 300L << 20, 12_345_000_000L)), "0.50 x baseline"));
        table.add(ScenarioResult.notAvailable("as-of", "n/a (audit API not yet built)"));

        String[] lines = table.render().split("\n");

        assertThat(rowsSeen).as("told after every row, so an interrupted run keeps its rows").containsExactly(1, 2);
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).isEqualTo("| scenario | work | throughput | p50 ms | p99 ms | p99.9 ms "
                + "| command-side RSS/heap MB, CPU s | note |");
        assertThat(lines[2]).isEqualTo("| ingest | 1,000 commands | 500 cmd/s | 5.00 | 9.90 | 9.99 | 600/300, 12.3 | 0.50 x baseline |");
        assertThat(lines[3]).isEqualTo("| as-of | - | n/a |  |  |  |  | n/a (audit API not yet built) |");
    }

    @Test
    void readsSizesAndOverridesFromTheCommandLine() {
        BenchOptions options = BenchOptions.parse(List.of("--size=medium", "--customers=1_000", "--keep"));
        assertThat(options.size().importCustomers()).isEqualTo(1_000);
        assertThat(options.size().ingestCommands()).isEqualTo(20_000);
        assertThat(options.keep()).isTrue();
        assertThat(BenchOptions.parse(List.of()).size().name()).isEqualTo("smoke");
    }
}
