package io.crmhistory.bench.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.h2.jdbcx.JdbcConnectionPool;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the embedded event store (an H2 file) directly: its head position, and the whole stream through
 * Axon's own {@link JdbcEventStorageEngine} with the payloads and metadata deserialized and the product's query,
 * which is the work every projection's processor does before any projection code runs.
 */
final class EventStoreReader {

    /** Events per query, as the product reads (its {@code crm.eventstore.read-batch-size}); for profiling, the
     * {@code bench.read-batch-size} system property. */
    private static final int PRODUCT_EVENTS_PER_QUERY = 1000;

    static {
        // Rows per answer over the AUTO_SERVER link as both sides set them (crm.eventstore.rows-per-answer): H2 reads
        // the property once, before this JVM's first statement, and its default of 100 rows overflows the socket
        // buffer and waits 40 ms for a delayed acknowledgement per answer.
        if (System.getProperty("h2.serverResultSetFetchSize") == null) {
            System.setProperty("h2.serverResultSetFetchSize", "50");
        }
    }

    private EventStoreReader() {
    }

    /** The event store file under a data directory, as the product opens it; shared with the running sides. */
    static String sharedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("eventstore")
                + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE";
    }

    /** A private copy's URL: opened only by the bench. */
    static String privateUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("eventstore") + ";ACCESS_MODE_DATA=r";
    }

    /** The highest global index in the store (-1 when empty). */
    static long head(String url) {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT MAX(globalIndex) FROM DomainEventEntry")) {
            rows.next();
            long head = rows.getLong(1);
            return rows.wasNull() ? -1 : head;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the event store head at " + url + ": " + e.getMessage(), e);
        }
    }

    record ReadResult(long events, long elapsedNanos) {
        double perSecond() {
            return events / (elapsedNanos / 1e9);
        }
    }

    /** Streams every event from the start, deserializing each payload, and counts them. */
    static ReadResult readAll(String url) {
        ObjectMapper mapper = new ObjectMapper().findAndRegisterModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(mapper).build();
        // Pooled, as the product's DataSource is: the engine asks for a connection per batch, and a bare
        // DriverManager connection would reopen the whole database file each time.
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        ConnectionProvider connections = pool::getConnection;
        JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder()
                .connectionProvider(connections)
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .batchSize(Integer.getInteger("bench.read-batch-size", PRODUCT_EVENTS_PER_QUERY))
                .readEventDataWithoutGaps(EventStoreReader::readTextAsBytes)
                .build();
        try {
            return timedRead(engine);
        } finally {
            pool.dispose();
        }
    }

    /**
     * Axon's read of a range of the global index with the text columns selected as bytes, as the product reads its H2
     * store since session 47 (the platform's {@code TextAsBytesReads}, which the bench cannot depend on: the
     * platform's auto-configuration would reconfigure the baseline). H2 reads the bytes back through
     * {@code getString} as UTF-8 text; over the link they cross in one piece instead of a character at a time.
     */
    private static PreparedStatement readTextAsBytes(Connection connection, EventSchema schema, long globalIndex,
                                                     int batchSize) throws SQLException {
        String text = Stream.of(schema.eventIdentifierColumn(), schema.aggregateIdentifierColumn(), schema.typeColumn(),
                        schema.timestampColumn(), schema.payloadTypeColumn(), schema.payloadRevisionColumn())
                .map(column -> "CAST(" + column + " AS VARBINARY) AS " + column)
                .collect(Collectors.joining(", "));
        String index = schema.globalIndexColumn();
        PreparedStatement statement = connection.prepareStatement("SELECT " + index + ", " + schema.sequenceNumberColumn()
                + ", " + schema.payloadColumn() + ", " + schema.metaDataColumn() + ", " + text + " FROM "
                + schema.domainEventTable() + " WHERE (" + index + " > ? AND " + index + " <= ?) ORDER BY " + index + " ASC");
        statement.setLong(1, globalIndex);
        statement.setLong(2, globalIndex + batchSize);
        return statement;
    }

    private static ReadResult timedRead(JdbcEventStorageEngine engine) {
        long start = System.nanoTime();
        long events = 0;
        try (Stream<? extends TrackedEventMessage<?>> stream = engine.readEvents(null, false)) {
            Iterator<? extends TrackedEventMessage<?>> iterator = stream.iterator();
            while (iterator.hasNext()) {
                TrackedEventMessage<?> event = iterator.next();
                // Touch what a projection touches, so the lazy deserialization really happens: the payload. Not the
                // metadata, which no projection reads and the product leaves undeserialized since session 65; until
                // session 67 this read deserialized them too, a fifth of a reading thread's work, and the rebuilds'
                // ratios to it were that much too kind (a read-only review of the bench, session 67).
                if (event.getPayload() == null) {
                    throw new IllegalStateException("event " + event.getIdentifier() + " did not deserialize");
                }
                events++;
            }
        }
        return new ReadResult(events, System.nanoTime() - start);
    }
}
