package io.crmhistory.platform.eventstore;

import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.upcasting.event.EventUpcaster;

import java.util.function.Supplier;

/**
 * Makes the application's JDBC event storage engine ({@link EventStorageEngineAutoConfiguration}) with a given chain
 * of upcasters: the store's own engine with the application's upcasters, and any other view of the same rows through
 * other upcasters (the query side reads events for read models that use few or no personal fields without revealing
 * the others).
 */
public final class JdbcEventStorageEngines {

    private final Supplier<JdbcEventStorageEngine.Builder> builders;
    private final EventSchema schema;

    JdbcEventStorageEngines(Supplier<JdbcEventStorageEngine.Builder> builders, EventSchema schema) {
        this.builders = builders;
        this.schema = schema;
    }

    /** An engine over the store's rows whose events pass through {@code upcasters}. */
    public EventStorageEngine withUpcasters(EventUpcaster upcasters) {
        return ParsedTimestampsEventStorageEngine.build(builders.get().upcasterChain(upcasters), schema);
    }
}
