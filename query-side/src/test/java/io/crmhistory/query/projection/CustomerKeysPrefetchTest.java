package io.crmhistory.query.projection;

import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.platform.privacy.CustomerKeyStore;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch of events reads its customers' keys once, before its first event, whatever the number of events. */
class CustomerKeysPrefetchTest {

    /** Records the prefetches; the rest of the store is never used here. */
    private static final class RecordingKeys implements CustomerKeyStore {
        final List<List<String>> prefetched = new ArrayList<>();

        @Override
        public void prefetch(Collection<String> customerIds) {
            prefetched.add(List.copyOf(customerIds));
        }

        @Override
        public Optional<SecretKey> find(String customerId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SecretKey findOrCreate(String customerId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void destroy(String customerId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void evict(String customerId) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theKeysOfABatchsCustomersAreReadOnceBeforeItsFirstEvent() {
        RecordingKeys keys = new RecordingKeys();
        CustomerKeysPrefetch prefetch = new CustomerKeysPrefetch(keys, () -> true);
        List<EventMessage<?>> events = List.of(event("c-1", 0), event("c-2", 0), event("c-1", 1));
        List<Integer> prefetchesSeenByHandlers = new ArrayList<>();
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(events);

        batch.executeWithResult(() -> prefetch.handle(batch, () -> prefetchesSeenByHandlers.add(keys.prefetched.size())));

        assertThat(keys.prefetched).containsExactly(List.of("c-1", "c-2"));
        assertThat(prefetchesSeenByHandlers).containsExactly(1, 1, 1);
    }

    /** A processor reading events whose personal fields were left out needs no key: none is read. */
    @Test
    void noKeyIsReadForABatchOfEventsThatAreNotRevealed() {
        RecordingKeys keys = new RecordingKeys();
        AtomicBoolean revealed = new AtomicBoolean(false);
        CustomerKeysPrefetch prefetch = new CustomerKeysPrefetch(keys, revealed::get);
        List<EventMessage<?>> events = List.of(event("c-1", 0), event("c-2", 0));

        BatchingUnitOfWork<EventMessage<?>> concealed = new BatchingUnitOfWork<>(events);
        concealed.executeWithResult(() -> prefetch.handle(concealed, () -> null));
        assertThat(keys.prefetched).isEmpty();

        revealed.set(true);
        BatchingUnitOfWork<EventMessage<?>> shared = new BatchingUnitOfWork<>(events);
        shared.executeWithResult(() -> prefetch.handle(shared, () -> null));
        assertThat(keys.prefetched).containsExactly(List.of("c-1", "c-2"));
    }

    private static EventMessage<?> event(String customerId, long sequence) {
        CustomerEvent event = Events.of(customerId).purchase("o-" + sequence, "10.00", "EUR", "2025-01-01T00:00:00Z")
                .last().event();
        return new GenericDomainEventMessage<>("Customer", customerId, sequence, event, Map.of());
    }
}
