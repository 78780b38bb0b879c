package io.crmhistory.query.infrastructure;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.store.fs.FilePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XtsEncryptedFilesTest {

    private static final String SECRET = "alice@example.com";

    @TempDir
    Path directory;

    @Test
    void aFileH2EncryptedOpensWithTheSameKeyAndTheOtherWayRound() {
        Path h2Written = directory.resolve("by-h2.mv");
        try (MVStore store = new MVStore.Builder().fileName(h2Written.toString()).encryptionKey("pw".toCharArray()).open()) {
            fill(store, "h2");
        }
        try (MVStore store = new MVStore.Builder().fileName(XtsEncryptedFiles.name(h2Written, "pw".toCharArray())).open()) {
            assertFilled(store, "h2");
            store.openMap("more").put(1, "written by the JDK cipher");
        }
        try (MVStore store = new MVStore.Builder().fileName(h2Written.toString()).encryptionKey("pw".toCharArray()).open()) {
            assertFilled(store, "h2");
            assertThat(store.openMap("more").get(1)).isEqualTo("written by the JDK cipher");
        }

        Path ours = directory.resolve("by-jdk.mv");
        try (MVStore store = new MVStore.Builder().fileName(XtsEncryptedFiles.name(ours, "pw".toCharArray())).open()) {
            fill(store, "jdk");
        }
        try (MVStore store = new MVStore.Builder().fileName(ours.toString()).encryptionKey("pw".toCharArray()).open()) {
            assertFilled(store, "jdk");
        }
    }

    @Test
    void theBytesOnDiskHoldNoPlainTextAndAnotherKeyCannotReadThem() throws IOException {
        Path file = directory.resolve("secret.mv");
        try (MVStore store = new MVStore.Builder().fileName(XtsEncryptedFiles.name(file, "pw".toCharArray())).open()) {
            fill(store, "x");
        }
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(bytes).startsWith("H2encrypt\n").doesNotContain(SECRET).doesNotContain("values");

        assertThatThrownBy(() -> new MVStore.Builder().fileName(XtsEncryptedFiles.name(file, "wrong".toCharArray())).open())
                .isInstanceOf(RuntimeException.class);
    }

    /** Writes and reads at any offset and length give back what a plain byte array would, also after reopening. */
    @Test
    void unalignedReadsAndWritesBehaveLikeAPlainFile() throws IOException {
        Path file = directory.resolve("random.bin");
        Random random = new Random(42);
        byte[] expected = new byte[0];
        for (int round = 0; round < 3; round++) {
            try (FileChannel channel = FilePath.get(XtsEncryptedFiles.name(file, "pw".toCharArray())).open("rw")) {
                assertThat(channel.size()).isEqualTo(expected.length);
                assertThat(readAll(channel)).isEqualTo(expected);
                for (int i = 0; i < 60; i++) {
                    int position = random.nextInt(expected.length + 9000);
                    byte[] data = new byte[1 + random.nextInt(10_000)];
                    random.nextBytes(data);
                    channel.write(ByteBuffer.wrap(data), position);
                    if (position + data.length > expected.length) {
                        expected = Arrays.copyOf(expected, position + data.length);
                    }
                    System.arraycopy(data, 0, expected, position, data.length);
                    int from = random.nextInt(expected.length);
                    int length = random.nextInt(expected.length - from) + 1;
                    ByteBuffer read = ByteBuffer.allocate(length);
                    channel.read(read, from);
                    assertThat(read.array()).isEqualTo(Arrays.copyOfRange(expected, from, from + length));
                }
                int truncated = expected.length - random.nextInt(5000);
                channel.truncate(truncated);
                expected = Arrays.copyOf(expected, truncated);
                assertThat(channel.size()).isEqualTo(truncated);
            }
        }
    }

    private static byte[] readAll(FileChannel channel) throws IOException {
        ByteBuffer all = ByteBuffer.allocate((int) channel.size());
        while (all.hasRemaining() && channel.read(all, all.position()) > 0) {
            // read until full
        }
        return all.array();
    }

    private static void fill(MVStore store, String prefix) {
        MVMap<Integer, String> values = store.openMap("values");
        for (int i = 0; i < 20_000; i++) {
            values.put(i, prefix + "-" + i + "-" + SECRET);
        }
        store.commit();
    }

    private static void assertFilled(MVStore store, String prefix) {
        MVMap<Integer, String> values = store.openMap("values");
        assertThat(values.size()).isEqualTo(20_000);
        assertThat(values.get(12_345)).isEqualTo(prefix + "-12345-" + SECRET);
    }
}
