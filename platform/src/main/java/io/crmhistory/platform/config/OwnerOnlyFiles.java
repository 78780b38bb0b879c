package io.crmhistory.platform.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * Secrets kept under the data directory (generated credentials, the email hashing key): readable by
 * the owner only, and created exactly once even when both applications start at the same moment.
 */
public final class OwnerOnlyFiles {

    private OwnerOnlyFiles() {
    }

    /**
     * Returns the content of {@code file}, first creating it with {@code content} when it does not
     * exist. The content is written to a private temporary file which is then hard-linked to its
     * final name: {@code link(2)} fails atomically when the name already exists, so of two
     * concurrent creators exactly one wins and the other reads the winner's complete file.
     */
    public static String readOrCreate(Path file, Supplier<String> content) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file);
            }
            Path temp = createPrivateTempFile(file);
            try {
                Files.writeString(temp, content.get());
                try {
                    Files.createLink(file, temp);
                } catch (FileAlreadyExistsException concurrentCreatorWon) {
                    // fall through and read the winner's file
                } catch (UnsupportedOperationException noHardLinks) {
                    Files.move(temp, file);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    private static Path createPrivateTempFile(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    }
}
