package io.crmhistory.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * A temporary data directory for one Spring test context, removed when the JVM exits.
 *
 * <p>Not JUnit's {@code @TempDir}: Spring caches a test's context beyond its class, so the event store, the read
 * models and the processors' threads keep writing into the directory after JUnit has begun deleting it, and the
 * deletion then fails the class ("Failed to close extension context", seen in CI). The directory must live as long
 * as the context, which is the JVM. It is made under the module's {@code target/} so that whatever the exit-time
 * deletion cannot remove (H2 and the read-model store close in their own shutdown hooks, in no set order with this
 * one) goes with {@code mvn clean} rather than piling up in the system's temporary directory.
 */
public final class TemporaryDataDirectory {

    private TemporaryDataDirectory() {
    }

    public static Path create() {
        try {
            Path parent = Files.createDirectories(Path.of("target", "test-data"));
            Path dir = Files.createTempDirectory(parent, "context-").toAbsolutePath();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
