package io.crmhistory.bench;

import io.crmhistory.bench.baseline.BaselineApplication;
import io.crmhistory.bench.run.BenchRunner;

import java.util.Arrays;

/**
 * The bench jar's two entry points: {@code java -jar bench.jar [--size=...]} runs the benchmark;
 * {@code java -jar bench.jar baseline [--server.port=...]} is how the runner starts the baseline
 * application as its own JVM; {@code java -jar bench.jar read-events <data-dir> [--over-link]} times the raw read
 * of a stopped data directory's event store on its own, or with {@code --over-link} of a running command side's
 * through H2's link, for profiling.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("baseline")) {
            BaselineApplication.main(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length == 2 && args[0].equals("read-events")) {
            BenchRunner.readEvents(java.nio.file.Path.of(args[1]), false);
        } else if (args.length == 3 && args[0].equals("read-events") && args[2].equals("--over-link")) {
            BenchRunner.readEvents(java.nio.file.Path.of(args[1]), true);
        } else {
            BenchRunner.main(args);
        }
    }
}
