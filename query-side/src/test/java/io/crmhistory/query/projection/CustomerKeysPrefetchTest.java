package io.crmhistory.query.projection;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.platform.privacy.CustomerKeyStore;
import io.crmhistory.query.privacy.PersonalDataUse;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch of events reads its customers' keys once, before its first event, whatever the number of events. */
class CustomerKeysPrefetchTest {

    /** Records the prefetches and their releases; the rest of the store is never used here. */
    private static final class RecordingKeys implements CustomerKeyStore {
        final List<List<String>> prefetched = new ArrayList<>();
        int released;

        @Override
        public HeldKeys prefetch(Collection<String> customerIds) {
            prefetched.add(List.copyOf(customerIds));
            return () -> released++;
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
        CustomerKeysPrefetch prefetch = new CustomerKeysPrefetch(keys, () -> PersonalDataUse.ALL);
        List<EventMessage<?>> events = List.of(registered("c-1", 0), contact("c-2", 0), contact("c-1", 1));
        List<String> seenByHandlers = new ArrayList<>();
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(events);

        batch.executeWithResult(() -> prefetch.handle(batch,
                () -> seenByHandlers.add(keys.prefetched.size() + " prefetched, " + keys.released + " released")));

        assertThat(keys.prefetched).containsExactly(List.of("c-1", "c-2"));
        assertThat(seenByHandlers).containsOnly("1 prefetched, 0 released").hasSize(3);
        assertThat(keys.released).as("the keys are let go when the batch ends").isEqualTo(1);
    }

    @Test
    void aBatchThatFailsLetsItsKeysGoToo() {
        RecordingKeys keys = new RecordingKeys();
        CustomerKeysPrefetch prefetch = new CustomerKeysPrefetch(keys, () -> PersonalDataUse.ALL);
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(List.of(registered("c-1", 0)));

        ResultMessage<?> result = batch.executeWithResult(() -> prefetch.handle(batch, () -> {
            throw new IllegalStateException("the projection failed");
        }));

        assertThat(result.isExceptional()).isTrue();
        assertThat(keys.prefetched).containsExactly(List.of("c-1"));
        assertThat(keys.released).isEqualTo(1);
    }

    /**
     * Only customers of events that reveal something need a key: none for events whose personal fields were left out
     * (value, segment reading on their own), those with a registration or profile update for the directory's own
     * view, and those of every event with a personal field for the shared, revealed events; a purchase has none.
     */
    @Test
    void onlyTheKeysOfCustomersWhoseEventsRevealSomethingAreRead() {
        RecordingKeys keys = new RecordingKeys();
        AtomicReference<PersonalDataUse> revealed = new AtomicReference<>(PersonalDataUse.NONE);
        CustomerKeysPrefetch prefetch = new CustomerKeysPrefetch(keys, revealed::get);
        List<EventMessage<?>> events = List.of(registered("c-1", 0), contact("c-2", 0), purchase("c-3", 0));

        runBatch(prefetch, events);
        assertThat(keys.prefetched).isEmpty();

        revealed.set(PersonalDataUse.PROFILE);
        runBatch(prefetch, events);
        assertThat(keys.prefetched).containsExactly(List.of("c-1"));

        revealed.set(PersonalDataUse.ALL);
        runBatch(prefetch, events);
        assertThat(keys.prefetched).containsExactly(List.of("c-1"), List.of("c-1", "c-2"));
    }

    private static void runBatch(CustomerKeysPrefetch prefetch, List<EventMessage<?>> events) {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(events);
        batch.executeWithResult(() -> prefetch.handle(batch, () -> null));
    }

    private static EventMessage<?> registered(String customerId, long sequence) {
        return message(customerId, sequence, Events.of(customerId).registered("Ada", null, "2025-01-01T00:00:00Z"));
    }

    private static EventMessage<?> contact(String customerId, long sequence) {
        return message(customerId, sequence, Events.of(customerId).contact("k-" + sequence, ContactChannel.EMAIL,
                "2025-01-01T00:00:00Z"));
    }

    private static EventMessage<?> purchase(String customerId, long sequence) {
        return message(customerId, sequence, Events.of(customerId).purchase("o-" + sequence, "10.00", "EUR",
                "2025-01-01T00:00:00Z"));
    }

    private static EventMessage<?> message(String customerId, long sequence, Events events) {
        CustomerEvent event = events.last().event();
        return new GenericDomainEventMessage<>("Customer", customerId, sequence, event, Map.of());
    }
}
