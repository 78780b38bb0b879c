package io.crmhistory.bench.run;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The results as a Markdown table (readable as plain text too): scenario, work, throughput, latency
 * percentiles in milliseconds, and per process the peak RSS (kernel, VmHWM) / peak heap in use (JVM) and the CPU
 * seconds it used.
 */
final class ReportTable {

    private final List<ScenarioResult> rows = new ArrayList<>();
    private final Consumer<ReportTable> onRow;

    /** {@code onRow} is told after every row, so a run stopped half way keeps what it measured. */
    ReportTable(Consumer<ReportTable> onRow) {
        this.onRow = onRow;
    }

    void add(ScenarioResult row) {
        rows.add(row);
        onRow.accept(this);
    }

    List<ScenarioResult> rows() {
        return List.copyOf(rows);
    }

    String render() {
        Set<String> processes = new LinkedHashSet<>();
        rows.forEach(row -> processes.addAll(row.usage().keySet()));
        List<String> header = new ArrayList<>(List.of("scenario", "work", "throughput", "p50 ms", "p99 ms", "p99.9 ms"));
        processes.forEach(p -> header.add(p + " RSS/heap MB, CPU s"));
        header.add("note");
        StringBuilder out = new StringBuilder();
        line(out, header);
        List<String> rule = new ArrayList<>();
        header.forEach(h -> rule.add("---"));
        line(out, rule);
        for (ScenarioResult row : rows) {
            List<String> cells = new ArrayList<>(List.of(row.scenario(), row.work(), row.throughput()));
            Histogram h = row.latencies();
            cells.add(h == null || h.getTotalCount() == 0 ? "" : millis(h.getValueAtPercentile(50)));
            cells.add(h == null || h.getTotalCount() == 0 ? "" : millis(h.getValueAtPercentile(99)));
            cells.add(h == null || h.getTotalCount() == 0 ? "" : millis(h.getValueAtPercentile(99.9)));
            for (String process : processes) {
                ManagedProcess.Usage usage = row.usage().get(process);
                cells.add(usage == null ? "" : megabytes(usage.rssBytes()) + "/" + megabytes(usage.heapBytes()) + ", "
                        + seconds(usage.cpuNanos()));
            }
            cells.add(row.note() == null ? "" : row.note());
            line(out, cells);
        }
        return out.toString();
    }

    static String millis(long micros) {
        return String.format(Locale.ROOT, micros < 10_000 ? "%.2f" : "%.0f", micros / 1000.0);
    }

    static String megabytes(long bytes) {
        return bytes < 0 ? "?" : String.valueOf(Math.round(bytes / (1024.0 * 1024.0)));
    }

    static String seconds(long nanos) {
        return nanos < 0 ? "?" : String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    static String count(double value) {
        return String.format(Locale.ROOT, value < 100 ? "%,.1f" : "%,.0f", value);
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append("| ");
        out.append(String.join(" | ", cells.stream().map(c -> c.replace("|", "/")).toList()));
        out.append(" |\n");
    }
}
