package io.crmhistory.platform.eventstore;

import io.crmhistory.platform.config.PlatformDefaultsEnvironmentPostProcessor;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedH2HousekeepingTest {

    private static final int ROWS = 20_000;

    @TempDir
    Path dataDir;

    /** Random keys committed in small transactions leave many partly obsolete chunks, as an import does. */
    @Test
    void theJvmThatOpenedTheFileRewritesSparseChunksAndLosesNoRow() throws Exception {
        JdbcDataSource owner = dataSource(PlatformDefaultsEnvironmentPostProcessor.embeddedEventStoreUrl(dataDir, false));
        EmbeddedH2Housekeeping housekeeping = new EmbeddedH2Housekeeping(owner, Duration.ofHours(1), 60, 32 << 20);
        try (Connection connection = owner.getConnection()) {
            fill(connection);
            assertThat(housekeeping.compact()).as("a local store was found and compacted").isTrue();
            assertThat(housekeeping.chunkCount()).as("the gauges: H2's own figures").isEqualTo(setting(connection,
                    "info.CHUNK_COUNT")).isPositive();
            assertThat(housekeeping.liveShare()).isEqualTo(setting(connection, "info.CHUNKS_FILL_RATE") / 100.0);
            assertThat(housekeeping.fileBytes()).isEqualTo(setting(connection, "info.FILE_SIZE")).isPositive();
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO events VALUES ('after-compaction', 'x')"); // writes the rewritten pages
            }
            housekeeping.compact();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
        } finally {
            housekeeping.destroy();
        }
        try (Connection reopened = owner.getConnection(); Statement statement = reopened.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT payload) FROM events")) {
            count.next();
            assertThat(count.getLong(1)).isEqualTo(ROWS + 1);
            assertThat(count.getLong(2)).isEqualTo(ROWS + 1);
        }
    }

    /** The other side reaches the file over TCP: nothing of its own to compact, and no error. */
    @Test
    void aConnectionOverTcpHasNoLocalStoreAndIsLeftAlone() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        try {
            String url = "jdbc:h2:" + server.getURL() + "/" + dataDir.resolve("remote").toAbsolutePath();
            EmbeddedH2Housekeeping housekeeping = new EmbeddedH2Housekeeping(dataSource(url), Duration.ofHours(1), 60,
                    32 << 20);
            try {
                assertThat(housekeeping.compact()).isFalse();
                assertThat(housekeeping.chunkCount()).as("no figures of a file this JVM has not opened").isNaN();
                assertThat(housekeeping.fileBytes()).isNaN();
            } finally {
                housekeeping.destroy();
            }
        } finally {
            server.stop();
        }
    }

    private static void fill(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE events (id VARCHAR(36) PRIMARY KEY, payload VARCHAR(200))");
        }
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO events VALUES (?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setString(2, "event " + i + " " + "x".repeat(100));
                insert.executeUpdate();
                if (i % 50 == 49) {
                    connection.commit();
                }
            }
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    /** One of the figures H2 reports about its file. */
    private static long setting(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
            query.setString(1, name);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return Long.parseLong(result.getString(1));
            }
        }
    }

    /** A data source on the file of {@code url} as the product's user opens it (also for the other tests here). */
    static JdbcDataSource dataSource(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        dataSource.setPassword("");
        return dataSource;
    }
}
