package io.crmhistory.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** What the figures were measured on and against: cores, memory, JVM, date and the commit. */
record Machine(int cores, String memory, String java, LocalDate date, String commit) {

    /** @param checkout the git checkout the benchmarked code comes from */
    static Machine describe(Path checkout) {
        return new Machine(Runtime.getRuntime().availableProcessors(), memTotal(), System.getProperty("java.vm.name")
                + " " + System.getProperty("java.version"), LocalDate.now(ZoneOffset.UTC), commit(checkout));
    }

    String summary() {
        return cores + " cores, " + memory + " RAM, " + java + ", " + date + ", commit " + commit;
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format("%.1f GiB", kb / (1024.0 * 1024.0));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static String commit(Path repo) {
        try {
            Process git = new ProcessBuilder("git", "-C", repo.toString(), "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String dirty = "";
            Process status = new ProcessBuilder("git", "-C", repo.toString(), "status", "--porcelain",
                    "--untracked-files=no").redirectErrorStream(true).start();
            if (!new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8).isBlank()) {
                dirty = " (with uncommitted changes)";
            }
            return git.waitFor() == 0 ? out + dirty : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
