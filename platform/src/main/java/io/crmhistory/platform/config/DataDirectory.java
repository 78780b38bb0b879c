package io.crmhistory.platform.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where this deployment keeps its files ({@code crm.data-dir}, default {@code ./data}); created at start, readable by
 * its owner only (it holds the event store, the read models with personal data revealed, and the logs). A directory
 * that exists is left as the operator made it.
 */
public record DataDirectory(Path path) {

    public DataDirectory {
        path = path.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(path)) {
                Files.createDirectories(path.getParent());
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(path, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(path);
                }
            }
        } catch (IOException e) {
            throw new RefusedSetting("crm.data-dir", "cannot create the data directory " + path + " (" + e + ")", e);
        }
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }
}
