package io.crmhistory.query.segment;

import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.api.rules.SegmentationRulesPublished;
import io.crmhistory.query.projection.BatchedProjection;
import io.crmhistory.query.projection.CustomerProjector;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.annotation.MessageHandlerTimeout;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryUpdateEmitter;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Keeps each customer's segment in one version of the segment read model: after every event the inputs are
 * folded in and the rules in force are evaluated at the clock's now; a move to another segment is recorded as
 * a {@link SegmentChange}. A newly published rule set re-evaluates every customer.
 */
class SegmentProjection implements BatchedProjection {

    private static final String LOCK_RELEASE = SegmentProjection.class.getName() + "/release";

    private final SegmentStore store;
    private final SegmentReevaluation reevaluation;
    private final Clock clock;
    private final CustomerProjector<SegmentState> projector;

    SegmentProjection(ProjectionVersion version, SegmentStore store, SegmentReevaluation reevaluation, Clock clock,
                      ReadModelVersions versions, QueryUpdateEmitter updateEmitter, BooleanSupplier live) {
        this.store = store;
        this.reevaluation = reevaluation;
        this.clock = clock;
        this.projector = new CustomerProjector<>(version, store.states(), versions, updateEmitter, live);
    }

    @EventHandler
    void on(CustomerEvent event, EventMessage<?> message, @SequenceNumber long sequence) {
        holdStoreUntilTheBatchEnds();
        projector.project(message, sequence, (state, envelope, batch) -> {
            SegmentState assessed = SegmentLogic.assess(SegmentLogic.apply(state, envelope), store.ruleBook().current(),
                    clock.instant(), envelope.occurredAt());
            String before = state == null ? null : state.segment();
            if (!Objects.equals(before, assessed.segment())) {
                batch.addSideDocument(SegmentChange.causedByEvent(envelope.customerId(), envelope.sequence(),
                        envelope.eventId(), before, assessed.assessment(), envelope.occurredAt(), envelope.recordedAt()));
            }
            return assessed;
        });
    }

    /**
     * Re-evaluating every customer takes as long as the customer base needs (seconds per ten thousand), so
     * Axon's default handler timeout, which would interrupt it and have the batch retried forever, is lifted.
     */
    @EventHandler
    @MessageHandlerTimeout(timeoutMs = Integer.MAX_VALUE, warningThresholdMs = 60_000, warningIntervalMs = 60_000)
    void on(SegmentationRulesPublished published) throws InterruptedException {
        // Customers' events earlier in this batch are written first, so the re-evaluation sees them; the lock is let
        // go, since the re-evaluation takes it page by page (beside a daily run that waits for this batch's).
        projector.flush();
        letGoOfStore();
        reevaluation.rulesPublished(store, published, clock.instant());
    }

    /**
     * A batch keeps the states it loaded at its first event until its end; a re-evaluation page written meanwhile
     * (the daily run, on another thread) would be overwritten by those stale copies: the customer's move recorded a
     * second time, or a move back not recorded at all. So the batch holds the store's lock from its first event to
     * the end of its unit of work (commit or rollback), and pages wait between batches.
     */
    private void holdStoreUntilTheBatchEnds() {
        ReentrantLock lock = store.batchOrPage();
        if (lock.isHeldByCurrentThread()) {
            return;
        }
        lock.lock();
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        if (unitOfWork.resources().putIfAbsent(LOCK_RELEASE, Boolean.TRUE) == null) {
            unitOfWork.onCleanup(ended -> letGoOfStore());
        }
    }

    private void letGoOfStore() {
        ReentrantLock lock = store.batchOrPage();
        while (lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
    }

    @Override
    public void endOfBatch() {
        projector.endOfBatch();
    }

    @Override
    public void segmentReleased() {
        projector.segmentReleased();
    }
}
