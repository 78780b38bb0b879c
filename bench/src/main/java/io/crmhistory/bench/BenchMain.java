package io.crmhistory.bench;

import io.crmhistory.bench.baseline.BaselineApplication;
import io.crmhistory.bench.run.BenchRunner;

import java.util.Arrays;

/**
 * The bench jar's two entry points: {@code java -jar bench.jar [--size=...]} runs the benchmark;
 * {@code java -jar bench.jar baseline [--server.port=...]} is how the runner starts the baseline
 * application as its own JVM.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("baseline")) {
            BaselineApplication.main(Arrays.copyOfRange(args, 1, args.length));
        } else {
            BenchRunner.main(args);
        }
    }
}
