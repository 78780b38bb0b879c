package io.crmhistory.platform.audit;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/**
 * Verifies an aggregate's chain straight from Axon's domain event table, bypassing the serializer
 * and upcasters: what is checked is exactly what is stored.
 */
public class JdbcEventChains {

    private final JdbcTemplate jdbc;
    private final String query;

    public JdbcEventChains(JdbcTemplate jdbc, EventSchema schema) {
        this.jdbc = jdbc;
        this.query = "SELECT " + schema.sequenceNumberColumn() + ", " + schema.typeColumn() + ", " + schema.payloadTypeColumn() + ", "
                + schema.payloadRevisionColumn() + ", " + schema.payloadColumn() + ", " + schema.metaDataColumn()
                + " FROM " + schema.domainEventTable() + " WHERE " + schema.aggregateIdentifierColumn() + " = ?"
                + " ORDER BY " + schema.sequenceNumberColumn();
    }

    /** The aggregate's stored rows, by sequence number (empty for an unknown aggregate). */
    public List<StoredEvent> rows(String aggregateIdentifier) {
        return jdbc.query(query, (rs, i) -> new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getBytes(5), rs.getBytes(6)), aggregateIdentifier);
    }

    public ChainVerification verify(String aggregateIdentifier) {
        return ChainVerifier.verify(rows(aggregateIdentifier));
    }
}
