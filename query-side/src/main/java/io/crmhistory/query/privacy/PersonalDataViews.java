package io.crmhistory.query.privacy;

import io.crmhistory.platform.eventstore.JdbcEventStorageEngines;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The event store's events with only the personal fields a read model uses revealed and the others left out
 * ({@link PersonalDataConcealingUpcaster}), for read models that do not use them all ({@link PersonalDataUse}) when
 * they read on their own, as a rebuild does. Revealing costs a query for the customers' keys per batch and a
 * decryption per field: 14 % of the projection thread of a value rebuild at a million customers
 * (docs/benchmarks-log.md, session 50), and the directory, which shows names but never a contact's words, spent four
 * fifths of its decryptions on contacts (session 58). Events the processors share are still the revealed ones
 * ({@code SharedEventStream}): a processor that needs the plaintext may read the same message.
 * <p>
 * Only where the events are in the JDBC store (the embedded default); with Axon Server there is no second reader
 * of the same rows here, and every read model reads the revealed events.
 */
@Component
public class PersonalDataViews implements DisposableBean {

    private final ObjectProvider<JdbcEventStorageEngines> engines;
    private final PersonalDataProtector protector;
    private final Map<PersonalDataUse, EmbeddedEventStore> views = new EnumMap<>(PersonalDataUse.class);

    PersonalDataViews(ObjectProvider<JdbcEventStorageEngines> engines, PersonalDataProtector protector) {
        this.engines = engines;
        this.protector = protector;
    }

    /**
     * The events as a read model with this use reads them on its own, through an event store of their own; empty for
     * {@link PersonalDataUse#ALL} (the application's store reveals everything) and when the store is not JDBC.
     */
    public Optional<StreamableMessageSource<TrackedEventMessage<?>>> source(PersonalDataUse use) {
        return view(use).map(view -> view);
    }

    /**
     * The same view for reading one customer's stream (the as-of replay folds the read models' logic over it); empty
     * where the application's store is to be read, as for {@link #source}.
     */
    public Optional<EventStore> store(PersonalDataUse use) {
        return view(use).map(view -> view);
    }

    private synchronized Optional<EmbeddedEventStore> view(PersonalDataUse use) {
        if (use == PersonalDataUse.ALL) {
            return Optional.empty();
        }
        EmbeddedEventStore view = views.get(use);
        if (view == null) {
            JdbcEventStorageEngines jdbc = engines.getIfAvailable();
            if (jdbc == null) {
                return Optional.empty();
            }
            Set<String> revealed = PersonalFieldsUpcaster.typeNames(use.revealedTypes());
            Set<String> concealed = new HashSet<>(PersonalFieldsUpcaster.FIELDS_BY_TYPE.keySet());
            concealed.removeAll(revealed);
            // Only the upcasters with types to handle (none revealed for value and segment): each asks every event.
            // The two handle different types, so their order does not matter.
            List<EventUpcaster> upcasters = new ArrayList<>();
            if (!revealed.isEmpty()) {
                upcasters.add(new PersonalDataRevealingUpcaster(protector, revealed));
            }
            upcasters.add(new PersonalDataConcealingUpcaster(concealed));
            // Each reader opens a stream of its own, as the application's store does (PrivateStreamsEventStore...).
            view = EmbeddedEventStore.builder()
                    .storageEngine(jdbc.withUpcasters(new EventUpcasterChain(upcasters)))
                    .optimizeEventConsumption(false)
                    .build();
            views.put(use, view);
        }
        return Optional.of(view);
    }

    @Override
    public synchronized void destroy() {
        views.values().forEach(EmbeddedEventStore::shutDown);
    }
}
