package io.crmhistory.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * One side of the system started from its executable jar as a separate JVM, exactly as
 * {@code java -jar} would start it for a user, on a free port and a given data directory.
 */
final class RunningSide implements AutoCloseable {

    static final String USER = "e2e";
    static final String PASSWORD = "e2e-secret";
    static final String FIXED_CLOCK = "2026-01-01T00:00:00Z";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Path dataDir;
    private final List<String> extraArgs;
    private final int port;
    private Process process;

    private RunningSide(String name, Path dataDir, List<String> extraArgs) {
        this.name = name;
        this.jar = repositoryRoot().resolve(name).resolve("target").resolve(name + ".jar");
        this.dataDir = dataDir;
        this.extraArgs = extraArgs;
        this.port = freePort();
    }

    /** Starts the command side; {@code extraArgs} may override the fixed clock ({@code --crm.clock.fixed=...}). */
    static RunningSide commandSide(Path dataDir, String... extraArgs) {
        return new RunningSide("command-side", dataDir, List.of(extraArgs)).start();
    }

    /** Starts the query side; {@code extraArgs} may override the fixed clock ({@code --crm.clock.fixed=...}). */
    static RunningSide querySide(Path dataDir, String... extraArgs) {
        return new RunningSide("query-side", dataDir, List.of(extraArgs)).start();
    }

    static Path repositoryRoot() {
        return Path.of(System.getProperty("crm.repository.root", "..")).toAbsolutePath().normalize();
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    Path dataDir() {
        return dataDir;
    }

    RunningSide start() {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `./mvnw verify` from the root so it is packaged first");
        }
        List<String> command = new ArrayList<>(List.of(
                javaBinary(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--server.port=" + port,
                "--crm.data-dir=" + dataDir,
                "--crm.security.users." + USER + ".password=" + PASSWORD,
                "--crm.security.users." + USER + ".roles=writer,reader,auditor,ops"));
        if (extraArgs.stream().noneMatch(arg -> arg.startsWith("--crm.clock.fixed="))) {
            command.add("--crm.clock.fixed=" + FIXED_CLOCK);
        }
        command.addAll(extraArgs);
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve(name + ".log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await(name + " healthy").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue()
                                + "; see " + keepLog());
                    }
                    return healthy();
                });
        return this;
    }

    /**
     * A copy of the side's log under {@code target/side-logs}: the data directory is usually a test's temporary
     * directory, deleted before anyone can read why the side stopped.
     */
    private Path keepLog() {
        Path log = dataDir.resolve(name + ".log");
        try {
            Path kept = Files.createDirectories(Path.of("target", "side-logs"))
                    .resolve(name + "-" + System.currentTimeMillis() + ".log");
            Files.copy(log, kept);
            return kept.toAbsolutePath();
        } catch (IOException e) {
            return log;
        }
    }

    /** Ends the process at once, as a crash or {@code kill -9} would: no shutdown hook runs. */
    void kill() {
        process.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
    }

    /** Asks the process to stop, as {@code kill} (SIGTERM) or Ctrl-C would: Spring's graceful shutdown runs. */
    void signalStop() {
        process.destroy();
    }

    /** Waits for the process to end after {@link #signalStop()}; its exit code. */
    int awaitExit(Duration atMost) {
        await(name + " stopped").atMost(atMost).until(() -> !process.isAlive());
        return process.exitValue();
    }

    RunningSide restart() {
        kill();
        return start();
    }

    private boolean healthy() {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(uri("/actuator/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
