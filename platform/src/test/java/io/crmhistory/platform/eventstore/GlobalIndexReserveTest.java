package io.crmhistory.platform.eventstore;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The event table's global index reserves its values in large blocks, on new tables and on older ones. */
class GlobalIndexReserveTest {

    private final EventSchema schema = new EventSchema();

    @Test
    void aNewEventTableReservesItsGlobalIndexesInBlocks() throws SQLException {
        JdbcDataSource dataSource = dataSource("new-table");
        new EventStoreSchema(dataSource, schema).afterPropertiesSet();

        try (Connection connection = dataSource.getConnection()) {
            assertThat(H2EventTableFactory.globalIndexCache(connection, schema))
                    .isEqualTo(H2EventTableFactory.GLOBAL_INDEX_CACHE);
        }
    }

    @Test
    void anEventTableCreatedWithTheDefaultReserveIsGivenTheLargerOneAndKeepsCounting() throws SQLException {
        JdbcDataSource dataSource = dataSource("older-table");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            H2EventTableFactory.INSTANCE.createDomainEventTable(connection, schema).executeUpdate();
            statement.executeUpdate("ALTER TABLE DomainEventEntry ALTER COLUMN globalIndex SET CACHE 32"); // H2's default
            assertThat(H2EventTableFactory.globalIndexCache(connection, schema)).isEqualTo(32);
            insertEvent(statement, "e-1", 0);
        }

        new EventStoreSchema(dataSource, schema).afterPropertiesSet();
        new EventStoreSchema(dataSource, schema).afterPropertiesSet();

        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            assertThat(H2EventTableFactory.globalIndexCache(connection, schema))
                    .isEqualTo(H2EventTableFactory.GLOBAL_INDEX_CACHE);
            insertEvent(statement, "e-2", 1);
            var indexes = statement.executeQuery("SELECT globalIndex FROM DomainEventEntry ORDER BY globalIndex");
            assertThat(indexes.next()).isTrue();
            long first = indexes.getLong(1);
            assertThat(indexes.next()).isTrue();
            assertThat(indexes.getLong(1)).isEqualTo(first + 1);
        }
    }

    private static void insertEvent(Statement statement, String eventId, long sequence) throws SQLException {
        statement.executeUpdate("INSERT INTO DomainEventEntry (eventIdentifier, aggregateIdentifier, sequenceNumber,"
                + " type, timeStamp, payloadType, payload) VALUES ('" + eventId + "', 'c-1', " + sequence
                + ", 'Customer', '2026-01-01T00:00:00Z', 'String', X'00')");
    }

    private static JdbcDataSource dataSource(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        return dataSource;
    }
}
