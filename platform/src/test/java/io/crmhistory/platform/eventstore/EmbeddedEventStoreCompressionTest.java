package io.crmhistory.platform.eventstore;

import io.crmhistory.platform.config.PlatformDefaultsEnvironmentPostProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded event store's file, written with and without {@code crm.eventstore.embedded.compress}. */
class EmbeddedEventStoreCompressionTest {

    private static final int EVENTS = 20_000;

    @TempDir
    Path dir;

    @Test
    void eventsAreStoredCompressedAndAFileWrittenUncompressedOpensCompressed() throws Exception {
        Path plain = dir.resolve("plain");
        Path compressed = dir.resolve("compressed");
        write(PlatformDefaultsEnvironmentPostProcessor.embeddedEventStoreUrl(plain, false), 0, EVENTS);
        write(PlatformDefaultsEnvironmentPostProcessor.embeddedEventStoreUrl(compressed, true), 0, EVENTS);

        long plainBytes = Files.size(plain.resolve("eventstore.mv.db"));
        long compressedBytes = Files.size(compressed.resolve("eventstore.mv.db"));
        assertThat(compressedBytes).as("compressed file (plain one: %d bytes)", plainBytes).isLessThan(plainBytes / 2);

        // The file written uncompressed, opened by a version that compresses: old pages read, new ones added.
        String reopened = PlatformDefaultsEnvironmentPostProcessor.embeddedEventStoreUrl(plain, true);
        write(reopened, EVENTS, 100);
        try (Connection connection = EmbeddedH2HousekeepingTest.dataSource(reopened).getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT COUNT(*), SUM(LENGTH(payload)) FROM events WHERE payload IS NOT NULL")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(EVENTS + 100);
            assertThat(rows.getLong(2)).isEqualTo(payloadBytes(0, EVENTS + 100));
        }
    }

    /** Rows shaped like Axon's event entries: a JSON payload with the same names in every one. */
    private static void write(String url, int from, int count) throws SQLException {
        try (Connection connection = EmbeddedH2HousekeepingTest.dataSource(url).getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS events (global_index BIGINT PRIMARY KEY, "
                        + "payload_type VARCHAR(255), payload BLOB)");
            }
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO events VALUES (?, ?, ?)")) {
                for (int i = from; i < from + count; i++) {
                    insert.setLong(1, i);
                    insert.setString(2, "io.crmhistory.api.customer.event.PurchaseRecorded");
                    insert.setBytes(3, payload(i));
                    insert.executeUpdate();
                    if (i % 500 == 499) {
                        connection.commit();
                    }
                }
            }
            connection.commit();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
        }
    }

    private static byte[] payload(int i) {
        return ("{\"customerId\":\"c-" + (i / 10) + "\",\"purchaseId\":\"p-" + i + "\",\"amount\":{\"value\":"
                + (i * 7919 % 10_000) / 100.0 + ",\"currency\":\"USD\"},\"occurredAt\":\"2025-0" + (1 + i % 9)
                + "-1" + (i % 10) + "T10:15:30Z\",\"channel\":\"WEB\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static long payloadBytes(int from, int count) {
        long bytes = 0;
        for (int i = from; i < from + count; i++) {
            bytes += payload(i).length;
        }
        return bytes;
    }
}
