package io.crmhistory.platform.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The data directory holds personal data: created for its owner only; one that exists is left as it is. */
class DataDirectoryTest {

    @TempDir
    Path parent;

    @Test
    void aNewDataDirectoryIsTheOwnersOnly() throws Exception {
        DataDirectory created = new DataDirectory(parent.resolve("a/b/data"));

        assertThat(Files.isDirectory(created.path())).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created.path()))).isEqualTo("rwx------");
    }

    @Test
    void anExistingDirectoryKeepsItsPermissions() throws Exception {
        Path shared = Files.createDirectory(parent.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-x---"));

        new DataDirectory(shared);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rwxr-x---");
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsARefusedSettingNamingThePath() throws Exception {
        Path file = Files.writeString(parent.resolve("a-file"), "not a directory");

        assertThatThrownBy(() -> new DataDirectory(file.resolve("data")))
                .isInstanceOf(RefusedSetting.class)
                .hasMessageStartingWith("crm.data-dir: cannot create the data directory " + file.resolve("data"));
    }
}
