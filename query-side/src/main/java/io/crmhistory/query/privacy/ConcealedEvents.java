package io.crmhistory.query.privacy;

import io.crmhistory.platform.eventstore.JdbcEventStorageEngines;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * The event store's events with the personal fields left out ({@link PersonalDataConcealingUpcaster}) rather than
 * revealed, for read models that use none (value, segment) when they read on their own, as a rebuild does. Revealing
 * costs a query for the customers' keys per batch and a decryption per field: 14 % of the projection thread of a
 * value rebuild at a million customers (docs/benchmarks-log.md, session 50). Events the processors share are still
 * the revealed ones ({@code SharedEventStream}): a processor that needs the plaintext may read the same message.
 * <p>
 * Only where the events are in the JDBC store (the embedded default); with Axon Server there is no second reader
 * of the same rows here, and every read model reads the revealed events.
 */
@Component
public class ConcealedEvents implements DisposableBean {

    private final ObjectProvider<JdbcEventStorageEngines> engines;
    private EmbeddedEventStore store;

    ConcealedEvents(ObjectProvider<JdbcEventStorageEngines> engines) {
        this.engines = engines;
    }

    /** The concealed events, read through an event store of their own; empty when the store is not JDBC. */
    public synchronized Optional<StreamableMessageSource<TrackedEventMessage<?>>> source() {
        if (store == null) {
            JdbcEventStorageEngines jdbc = engines.getIfAvailable();
            if (jdbc == null) {
                return Optional.empty();
            }
            // Each reader opens a stream of its own, as the application's store does (PrivateStreamsEventStore...).
            store = EmbeddedEventStore.builder()
                    .storageEngine(jdbc.withUpcasters(new PersonalDataConcealingUpcaster()))
                    .optimizeEventConsumption(false)
                    .build();
        }
        return Optional.of(store);
    }

    @Override
    public synchronized void destroy() {
        if (store != null) {
            store.shutDown();
        }
    }
}
