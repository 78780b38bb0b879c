package io.crmhistory.bench.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * The three JVMs under test and where their data lives; measures their memory and CPU time per scenario, and the
 * bench's own (the load generator shares their cores).
 */
final class Systems implements AutoCloseable {

    static final String COMMAND = "command-side";
    static final String QUERY = "query-side";
    static final String BASELINE = "baseline";

    private final BenchOptions options;
    private final Path scratch;
    private final Map<String, ManagedProcess> running = new LinkedHashMap<>();
    private final MemorySampler sampler = new MemorySampler();
    private final OwnProcess loadGenerator = new OwnProcess();

    Systems(BenchOptions options, Path scratch) {
        this.options = options;
        this.scratch = scratch;
        // A bench stopped with Ctrl-C must not leave JVMs behind holding the scratch data directory.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop-systems"));
    }

    Path productData() {
        return scratch.resolve("product");
    }

    Path baselineData() {
        return scratch.resolve("baseline");
    }

    ManagedProcess startCommandSide() {
        return start(COMMAND, options.jar(COMMAND), productData(), List.of());
    }

    ManagedProcess startQuerySide(Path dataDir) {
        return start(QUERY, options.jar(QUERY), dataDir, List.of());
    }

    ManagedProcess startBaseline() {
        // One jar, two entry points: BenchMain starts the baseline for the first argument "baseline".
        return start(BASELINE, ownJar(), baselineData(), List.of("baseline"));
    }

    /** The jar this runner was started from ({@code java -jar bench.jar}), else the checkout's. */
    private Path ownJar() {
        String classPath = System.getProperty("java.class.path", "");
        return classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)
                ? Path.of(classPath).toAbsolutePath()
                : options.jar("bench");
    }

    private ManagedProcess start(String name, Path jar, Path dataDir, List<String> leadingArgs) {
        List<String> jvm = new ArrayList<>();
        // A JVM that runs out of its 1 GiB leaves a heap dump in the scratch directory (kept with --keep).
        jvm.add("-XX:+HeapDumpOnOutOfMemoryError");
        jvm.add("-XX:HeapDumpPath=" + scratch);
        if (options.jfr()) {
            jvm.add("-XX:StartFlightRecording=filename=" + scratch.resolve(name + "-" + System.nanoTime() + ".jfr")
                    + ",settings=profile,dumponexit=true");
        }
        ManagedProcess process = ManagedProcess.start(name, jar, dataDir, scratch, jvm, leadingArgs);
        running.put(name, process);
        sampler.watch(List.copyOf(running.values()));
        return process;
    }

    ManagedProcess get(String name) {
        return running.get(name);
    }

    synchronized void stop(String name) {
        ManagedProcess process = running.remove(name);
        if (process != null) {
            process.close();
        }
        sampler.watch(List.copyOf(running.values()));
    }

    void resetPeaks() {
        running.values().forEach(ManagedProcess::resetPeaks);
        loadGenerator.resetPeaks();
    }

    Map<String, ManagedProcess.Usage> usage() {
        Map<String, ManagedProcess.Usage> usage = new LinkedHashMap<>();
        running.forEach((name, process) -> usage.put(name, process.usage()));
        usage.put(OwnProcess.NAME, loadGenerator.usage());
        return usage;
    }

    @Override
    public synchronized void close() {
        sampler.close();
        new ArrayList<>(running.keySet()).forEach(this::stop);
    }
}
