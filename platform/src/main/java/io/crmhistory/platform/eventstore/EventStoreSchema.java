package io.crmhistory.platform.eventstore;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventTableFactory;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates Axon's event and snapshot tables at start-up, before any event processor starts (Axon's
 * JDBC storage engine creates no tables itself). Idempotent ({@code CREATE TABLE IF NOT EXISTS}),
 * and tolerant of the other application creating the same tables at the same moment: a failed
 * creation is accepted when the table exists afterwards.
 */
public class EventStoreSchema implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(EventStoreSchema.class);

    private final DataSource dataSource;
    private final EventSchema schema;
    private EventTableFactory factory;

    public EventStoreSchema(DataSource dataSource, EventSchema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            factory = factoryFor(connection);
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try {
                create(connection, schema.domainEventTable(), factory.createDomainEventTable(connection, schema));
                create(connection, schema.snapshotTable(), factory.createSnapshotEventTable(connection, schema));
                if (factory == H2EventTableFactory.INSTANCE) {
                    reserveGlobalIndexesInBlocks(connection);
                }
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            log.info("Event store ready on {} ({} and {} tables present)",
                    connection.getMetaData().getDatabaseProductName(),
                    schema.domainEventTable(), schema.snapshotTable());
        }
    }

    /**
     * Whether the events are stored in H2 (the embedded default), known once the tables are ready. This bean exists
     * exactly when Axon stores the events through JDBC, so it is where the rest of the application learns what
     * holds them (H2 writes every commit under one lock for the whole file; PostgreSQL commits side by side).
     */
    public boolean storesEventsInH2() {
        if (factory == null) {
            throw new IllegalStateException("the event store's tables are not ready yet");
        }
        return factory == H2EventTableFactory.INSTANCE;
    }

    /** A table from before the larger reserve works as before if it cannot be altered (the other side may hold it). */
    private void reserveGlobalIndexesInBlocks(Connection connection) {
        try {
            H2EventTableFactory.reserveGlobalIndexesInBlocks(connection, schema);
        } catch (SQLException e) {
            log.warn("The global index of {} could not be set to reserve {} values at a time; it stays as it was: {}",
                    schema.domainEventTable(), H2EventTableFactory.GLOBAL_INDEX_CACHE, e.toString());
        }
    }

    static EventTableFactory factoryFor(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        if (product.equalsIgnoreCase("PostgreSQL")) {
            return PostgresEventTableFactory.INSTANCE;
        }
        if (product.equalsIgnoreCase("H2")) {
            return H2EventTableFactory.INSTANCE;
        }
        throw new IllegalStateException("Unsupported event store database: " + product
                + " (supported: H2, PostgreSQL, or Axon Server with the 'axonserver' profile)");
    }

    private static void create(Connection connection, String table, PreparedStatement statement) throws SQLException {
        try (statement) {
            statement.executeUpdate();
        } catch (SQLException e) {
            if (!exists(connection, table)) {
                throw e;
            }
            log.debug("Table {} was created concurrently by another process", table);
        }
    }

    static boolean exists(Connection connection, String table) {
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
