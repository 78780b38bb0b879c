package io.crmhistory.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's Markdown report: written to {@code <scratch>/report.md} (and to {@code --report=FILE}) after every
 * row, headed "run in progress" until the part ends, so a run stopped half way keeps what it measured. A part
 * that continues a run puts its table after the earlier parts' report.
 */
final class Report {

    static final String FILE = "report.md";

    private final Machine machine;
    private final BenchOptions options;
    private final Path scratch;
    private final int part;
    private final String earlier;
    private final ReportTable table;

    Report(Machine machine, BenchOptions options, Path scratch, int part, String earlier) {
        this.machine = machine;
        this.options = options;
        this.scratch = scratch;
        this.part = part;
        this.earlier = earlier.strip();
        this.table = new ReportTable(rows -> write("(run in progress)"));
    }

    ReportTable table() {
        return table;
    }

    /** Prints the report and writes it a last time. */
    void publish() {
        System.out.println();
        System.out.println(markdown(""));
        write("").forEach(file -> BenchContext.log("report written to " + file));
    }

    private List<Path> write(String status) {
        List<Path> files = new ArrayList<>(List.of(scratch.resolve(FILE)));
        if (options.report() != null) {
            files.add(options.report());
        }
        String text = markdown(status);
        for (Path file : files) {
            try {
                Path directory = file.toAbsolutePath().getParent();
                Files.createDirectories(directory);
                // Written beside, then moved over the old one: a run stopped (Ctrl-C) while the file is rewritten
                // must keep the last complete report, not an empty file.
                Path next = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
                Files.writeString(next, text);
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                BenchContext.log("could not write the report to " + file + ": " + e.getMessage());
            }
        }
        return files;
    }

    String markdown(String status) {
        String phases = options.inParts()
                ? ", part " + part + " (phases " + options.from().cliName() + " to " + options.until().cliName() + ")"
                : "";
        String heading = "Bench " + options.size() + ", seed " + options.seed() + phases
                + (status.isEmpty() ? "" : " " + status) + "\n\n" + machine.summary();
        String memory = "Memory: peak RSS from /proc/<pid>/status VmHWM (reset per scenario) / peak heap in use "
                + "from /actuator/metrics/jvm.memory.used (area heap, sampled each second); every JVM runs with "
                + "-Xmx1g. CPU: seconds of CPU (user and system, all threads) each process used during the row's "
                + "scenario. The load generator is this bench's own JVM (the workload and every HTTP client, on the "
                + "same cores); its heap is the sum of its heap pools' peaks.";
        if (earlier.isEmpty()) {
            return heading + "\n\n" + memory + "\n\n" + table.render();
        }
        return earlier + "\n\n" + heading + "\n\n" + table.render();
    }
}
