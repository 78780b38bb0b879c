package io.crmhistory.query.projection;

import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.api.customer.query.CustomerUpdated;
import io.crmhistory.api.customer.query.FindCustomer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryUpdateEmitter;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The batching, idempotent write path every customer read model shares.
 * <ul>
 *     <li>The first event of a batch loads the state of every customer the batch touches, in one query.</li>
 *     <li>An event at or below the sequence a customer's state already reflects is skipped.</li>
 *     <li>After the batch's last event the processor's interceptor ({@link #endOfBatch}) writes every changed
 *     state (and side document) in one bulk write, so the writes complete <em>before</em> Axon stores the
 *     batch's token in the unit of work's prepare-commit phase. A crash in between redelivers the batch,
 *     whose events are then skipped. The interceptor runs outside the dead-lettering invoker, so a failed
 *     write rolls the batch back instead of dead-lettering an innocent event. Outside a batch (a dead
 *     letter being retried) each event is written at once.</li>
 *     <li>From the batch's first load until its write, the store keeps its other writers (a re-evaluation, a
 *     refresh of fields kept beside the events' figures) waiting ({@link Store#holdForBatch}), so their changes are
 *     never overwritten by the states the batch loaded before them.</li>
 *     <li>After the commit, readers waiting for a version ({@code minVersion}) are told, and, for the live
 *     version only, subscribers of the customer's live updates.</li>
 * </ul>
 */
public final class CustomerProjector<S extends SequencedState> {

    /** Where a read model keeps its states. */
    public interface Store<S extends SequencedState> {

        /** The states that exist; may answer from what the store wrote last. */
        Map<String, S> load(Collection<String> customerIds);

        /** The states that exist, as stored now. */
        Map<String, S> loadStored(Collection<String> customerIds);

        void write(ProjectionBatch<S> batch);

        /** Forgets whatever {@link #load} would answer without asking the stored documents. */
        void forgetAll();

        /** Called before a batch loads its first states: keeps other writers of the documents waiting. */
        default void holdForBatch() {
        }

        /** Called once the batch's states are written, or its unit of work ended without. */
        default void releaseAfterBatch() {
        }

        /** Called after each event the batch applied: the store may start writing its side documents so far. */
        default void sideDocumentsAdded(ProjectionBatch<S> batch) {
        }
    }

    /** The pure state logic plus, optionally, side documents for the batch. */
    @FunctionalInterface
    public interface Applier<S extends SequencedState> {

        /** @param state the customer's state, or {@code null} before the first event */
        S apply(S state, EventEnvelope envelope, ProjectionBatch<S> batch);
    }

    private final String readModel;
    private final Store<S> store;
    private final ReadModelVersions versions;
    private final QueryUpdateEmitter updateEmitter;
    private final BooleanSupplier live;
    private final String resourceKey;
    private final int largestBatch;
    /**
     * Events handled in batches committed since the segment was released (or never held here) or a batch rolled back.
     * The batch a crash or failure cut short began at the token this processor resumed from and held at most
     * {@link #largestBatch} events; the redelivery may hold events committed into the token's gaps since, so until
     * twice that many have been committed a batch may repeat some of the unfinished one's events.
     */
    private final AtomicLong committedSinceResume = new AtomicLong();

    /** @param live whether this version answers reads now (a version being rebuilt announces no updates) */
    public CustomerProjector(ProjectionVersion version, Store<S> store, ReadModelVersions versions,
                             QueryUpdateEmitter updateEmitter, BooleanSupplier live) {
        this(version, store, versions, updateEmitter, live, 0);
    }

    /**
     * @param largestBatch the most events a batch of this version's processor holds, for batches to tell whether they
     *                     {@linkplain ProjectionBatch#mayRepeatAnUnfinishedBatch() may repeat an unfinished one}; 0
     *                     for a read model whose side documents the events alone make (they never tell)
     */
    public CustomerProjector(ProjectionVersion version, Store<S> store, ReadModelVersions versions,
                             QueryUpdateEmitter updateEmitter, BooleanSupplier live, int largestBatch) {
        this.largestBatch = largestBatch;
        this.readModel = version.projection();
        this.store = store;
        this.versions = versions;
        this.updateEmitter = updateEmitter;
        this.live = live;
        this.resourceKey = CustomerProjector.class.getName() + "/" + version.processorName();
    }

    /** Applies one event through {@code applier}, unless the customer's state already reflects it. */
    public void project(EventMessage<?> message, long sequence, Applier<S> applier) {
        CustomerEvent event = (CustomerEvent) message.getPayload();
        EventEnvelope envelope = new EventEnvelope(message.getIdentifier(), sequence, message.getTimestamp(), event);
        ProjectionBatch<S> batch = currentBatch();
        String customerId = event.customerId();
        if (!batch.isLoaded(customerId)) {
            batch.loaded(List.of(customerId), load(List.of(customerId)));
        }
        S state = batch.state(customerId);
        if (state != null && sequence > state.lastSequence() + 1) {
            // Every event of a customer passes here in order, so a state that misses one is not the stored one
            // (written by another instance, say, while this one did not hold the segment): read it afresh.
            batch.loaded(List.of(customerId), loadStored(customerId));
            state = batch.state(customerId);
        }
        if (state == null || sequence > state.lastSequence()) {
            batch.put(applier.apply(state, envelope, batch));
        }
        if (CurrentUnitOfWork.get() instanceof BatchingUnitOfWork<?>) {
            store.sideDocumentsAdded(batch);
        } else {
            flush();
        }
    }

    /** Called by the processor's interceptor after each event: writes the batch after its last one. */
    public void endOfBatch() {
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() instanceof BatchingUnitOfWork<?> batching
                && batching.isLastMessage()) {
            flush();
        }
    }

    /**
     * Writes what the current batch changed so far and starts afresh (the next event reloads its
     * customer): for handlers that must see the stored state, such as a re-evaluation of everyone.
     */
    public void flush() {
        if (!CurrentUnitOfWork.isStarted()) {
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        ProjectionBatch<S> batch = unitOfWork.getResource(resourceKey);
        unitOfWork.resources().remove(resourceKey);
        if (batch == null || batch.isEmpty()) {
            store.releaseAfterBatch();
            return;
        }
        try {
            store.write(batch);
        } catch (RuntimeException e) {
            throw new ReadModelWriteException(e);
        }
        store.releaseAfterBatch();
        Map<String, Long> reached = batch.versions();
        unitOfWork.afterCommit(committed -> versions.reached(readModel, reached, live.getAsBoolean()));
        if (live.getAsBoolean() && !updateEmitter.activeSubscriptions().isEmpty()) {
            // The emitter defers these to after the commit, too.
            reached.forEach((customerId, version) -> updateEmitter.emit(FindCustomer.class,
                    query -> query.customerId().equals(customerId),
                    new CustomerUpdated(customerId, readModel, version)));
        }
    }

    private ProjectionBatch<S> currentBatch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        ProjectionBatch<S> current = unitOfWork.getResource(resourceKey);
        if (current != null) {
            return current;
        }
        // From here until the batch is written no other writer changes the documents (see the store's lock).
        store.holdForBatch();
        unitOfWork.onCleanup(ended -> {
            awaitUnfinished(ended.getResource(resourceKey));
            store.releaseAfterBatch();
        });
        boolean ofTheStream = unitOfWork instanceof BatchingUnitOfWork<?>;
        if (ofTheStream && unitOfWork.resources().putIfAbsent(resourceKey + "/counted", Boolean.TRUE) == null) {
            // Once per unit of work: a flush in the middle of it starts another batch of the same events.
            int events = ((BatchingUnitOfWork<?>) unitOfWork).getMessages().size();
            unitOfWork.onRollback(failed -> committedSinceResume.set(0));
            unitOfWork.afterCommit(committed -> committedSinceResume.addAndGet(events));
        }
        // A single event is a dead letter being retried, on any thread: its earlier attempt may have been cut short.
        ProjectionBatch<S> batch = new ProjectionBatch<>(largestBatch > 0
                && (!ofTheStream || committedSinceResume.get() < 2L * largestBatch));
        Set<String> customers = customersOf(unitOfWork);
        batch.loaded(customers, load(customers));
        unitOfWork.resources().put(resourceKey, batch);
        return batch;
    }

    /**
     * Lets the side documents a batch that was not written handed over be stored before the next batch begins (their
     * failure is the rolled-back batch's), so that none of them lands after what follows: an erasure's scrub, say.
     */
    private static void awaitUnfinished(ProjectionBatch<?> unfinished) {
        if (unfinished == null) {
            return;
        }
        try {
            unfinished.awaitHandedOver();
        } catch (RuntimeException alreadyRolledBack) {
            // The batch failed already; its redelivery writes these documents again.
        }
    }

    private Map<String, S> load(Collection<String> customerIds) {
        return fromStore(() -> store.load(customerIds));
    }

    private Map<String, S> loadStored(String customerId) {
        return fromStore(() -> store.loadStored(List.of(customerId)));
    }

    /** A failure to read the read model is no poison event: the processor retries the batch. */
    private static <T> T fromStore(Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            throw new ReadModelWriteException(e);
        }
    }

    /**
     * The processor released its segment (it stopped, or lost its claim to another instance): states remembered
     * from before may be overtaken by the other instance's writes, so the next batches read them from the store.
     */
    public void segmentReleased() {
        committedSinceResume.set(0);
        store.forgetAll();
    }

    /**
     * The customers of the batch's events, read from the messages' aggregate identifiers and payload types
     * without deserializing a payload: one that cannot be read must fail its own event, not the batch's first.
     */
    static Set<String> customersOf(UnitOfWork<?> unitOfWork) {
        return customersOf(unitOfWork, CustomerEvent.class::isAssignableFrom);
    }

    /** The customers of a batch's events whose payload type is one of {@code payloadTypes}. */
    static Set<String> customersOf(UnitOfWork<?> unitOfWork, Predicate<Class<?>> payloadTypes) {
        Set<String> customerIds = new LinkedHashSet<>();
        if (!(unitOfWork instanceof BatchingUnitOfWork<?> batching)) {
            // A single event (a dead letter being retried): project() loads its customer.
            return customerIds;
        }
        for (Message<?> message : batching.getMessages()) {
            if (message instanceof DomainEventMessage<?> event && payloadTypes.test(event.getPayloadType())) {
                customerIds.add(event.getAggregateIdentifier());
            }
        }
        return customerIds;
    }

    /** The read model's name, as used for versions and live updates. */
    public String readModel() {
        return readModel;
    }
}
