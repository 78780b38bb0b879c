package io.crmhistory.query.projection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** A temporary data directory for one Spring test context, removed when the JVM exits. */
public final class TemporaryDataDirectory {

    private TemporaryDataDirectory() {
    }

    public static Path create() {
        try {
            Path dir = Files.createTempDirectory("query-side-test");
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
