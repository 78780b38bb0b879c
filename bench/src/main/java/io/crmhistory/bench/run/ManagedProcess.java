package io.crmhistory.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One JVM under test (command side, query side or baseline), started from its jar on a free port with
 * {@code -Xmx1g}, and the memory it uses: the peak resident set from the kernel ({@code VmHWM} in
 * {@code /proc/<pid>/status}, reset at each scenario's start by writing 5 to {@code clear_refs}) and
 * the peak heap in use as the JVM itself reports it ({@code jvm.memory.used}, area heap, sampled).
 */
final class ManagedProcess implements AutoCloseable {

    static final String USER = "bench";
    static final String PASSWORD = "bench-secret";
    /**
     * Cost of the bcrypt hash every request's password is checked against. The product's default (10)
     * costs tens of milliseconds of CPU per request, which would hide everything else measured here;
     * {@link AuthenticationCost} measures it separately. A pre-encoded {@code {noop}} password does not
     * avoid it: Spring Security upgrades it to bcrypt at the first login.
     */
    static final int BCRYPT_STRENGTH = 4;
    static final String CLOCK = "2026-01-01T00:00:00Z";

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final HttpTarget admin;
    private final AtomicLong peakHeap = new AtomicLong();
    private volatile long cpuMark;
    private final long startedNanos;
    private long startupNanos;

    private ManagedProcess(String name, Process process, int port, Path log, long startedNanos) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.startedNanos = startedNanos;
        this.admin = new HttpTarget(name, URI.create("http://localhost:" + port), USER, PASSWORD);
    }

    /** Starts {@code jar} with the product's conventions: the data directory, the fixed clock, the bench user. */
    static ManagedProcess start(String name, Path jar, Path dataDir, Path logDir, List<String> jvmOptions,
                                List<String> leadingArgs) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (see docs/benchmarks.md)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(leadingArgs);
        command.addAll(List.of(
                "--server.port=" + port,
                "--crm.data-dir=" + dataDir,
                "--crm.clock.fixed=" + CLOCK,
                "--crm.security.users." + USER + ".password=" + PASSWORD,
                "--crm.security.users." + USER + ".roles=writer,reader,auditor,ops",
                "--crm.security.bcrypt-strength=" + BCRYPT_STRENGTH));
        Path log = logDir.resolve(name + ".log");
        try {
            Files.createDirectories(dataDir);
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ManagedProcess managed = new ManagedProcess(name, process, port, log, started);
            try {
                managed.awaitHealthy(Duration.ofSeconds(180));
            } catch (RuntimeException e) {
                managed.close();
                throw e;
            }
            return managed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    HttpTarget target(String user, String password) {
        return new HttpTarget(name, URI.create("http://localhost:" + port), user, password);
    }

    HttpTarget target() {
        return admin;
    }

    /** Seconds from launch to healthy. */
    double startSeconds() {
        return startupNanos / 1e9;
    }

    private void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            // Readiness, not overall health: a side is ready to take traffic even while a projection lags.
            HttpTarget.Response health = admin.getQuietly("/actuator/health/readiness");
            if (health != null && health.status() == 200 && health.body().contains("\"UP\"")) {
                startupNanos = System.nanoTime() - startedNanos;
                return;
            }
            Pause.briefly(Duration.ofMillis(200));
        }
        throw new IllegalStateException(name + " not healthy after " + timeout.toSeconds() + " s; see " + log);
    }

    /** Starts a new measuring window: resets the kernel's peak RSS and the sampled heap peak. */
    void resetPeaks() {
        try {
            Files.writeString(Path.of("/proc", String.valueOf(pid()), "clear_refs"), "5");
        } catch (IOException e) {
            // Not every kernel lets a process reset another's peak; the peak then covers the whole life.
        }
        peakHeap.set(0);
        sampleHeap();
        cpuMark = cpuNanos();
    }

    /** Called periodically by {@link MemorySampler}. */
    void sampleHeap() {
        HttpTarget.Response response = admin.getQuietly("/actuator/metrics/jvm.memory.used?tag=area:heap");
        if (response != null && response.status() == 200) {
            JsonNode value = response.json().path("measurements").path(0).path("value");
            if (value.isNumber()) {
                peakHeap.accumulateAndGet(value.asLong(), Math::max);
            }
        }
    }

    /** The peaks since the last reset, and the CPU time used since the last reset or reading, whichever is later. */
    Usage usage() {
        sampleHeap();
        long cpu = cpuNanos();
        long used = cpu < 0 || cpuMark < 0 ? -1 : cpu - cpuMark;
        cpuMark = cpu;
        return new Usage(statusKb(Path.of("/proc", String.valueOf(pid())), "VmHWM") * 1024, peakHeap.get(), used);
    }

    /** User and system time of all the process's threads so far (the kernel's, through the JDK); -1 if unknown. */
    private long cpuNanos() {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** A field of a process's {@code status} file in kB ({@code VmHWM}: peak resident set), -1 if unreadable. */
    static long statusKb(Path procDir, String field) {
        try {
            for (String line : Files.readAllLines(procDir.resolve("status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * Peak resident set (kernel) and peak heap in use (JVM), in bytes, and CPU time used, in nanoseconds; -1 where
     * not readable.
     */
    record Usage(long rssBytes, long heapBytes, long cpuNanos) {
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
