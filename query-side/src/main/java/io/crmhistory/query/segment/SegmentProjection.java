package io.crmhistory.query.segment;

import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.api.rules.SegmentationRulesPublished;
import io.crmhistory.query.projection.BatchedProjection;
import io.crmhistory.query.projection.CustomerProjector;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.ProjectionBatch;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.annotation.MessageHandlerTimeout;
import org.axonframework.queryhandling.QueryUpdateEmitter;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Keeps each customer's segment in one version of the segment read model: after every event the inputs are
 * folded in and the rules in force are evaluated at the clock's now; a move to another segment is recorded as
 * a {@link SegmentChange} while the version is live (a version being rebuilt records none, see
 * {@link SegmentStore#logsChanges()}). A newly published rule set re-evaluates every customer.
 */
class SegmentProjection implements BatchedProjection {

    private final SegmentStore store;
    private final SegmentReevaluation reevaluation;
    private final Clock clock;
    /** The machine's clock, for the order of the change log ({@link SegmentChange#loggedAt}). */
    private final Clock loggingClock = Clock.systemUTC();
    private final CustomerProjector<SegmentState> projector;

    /** @param largestBatch the most events a batch of the version's processor holds */
    SegmentProjection(ProjectionVersion version, SegmentStore store, SegmentReevaluation reevaluation, Clock clock,
                      ReadModelVersions versions, QueryUpdateEmitter updateEmitter, BooleanSupplier live,
                      int largestBatch) {
        this.store = store;
        this.reevaluation = reevaluation;
        this.clock = clock;
        this.projector = new CustomerProjector<>(version, store.states(), versions, updateEmitter, live, largestBatch);
    }

    @EventHandler
    void on(CustomerEvent event, EventMessage<?> message, @SequenceNumber long sequence) {
        projector.project(message, sequence, (state, envelope, batch) -> {
            SegmentState assessed = SegmentLogic.assess(SegmentLogic.apply(state, envelope), store.ruleBook().current(),
                    clock.instant(), envelope.occurredAt());
            if (!store.logsChanges()) {
                return assessed.withLogged(false);
            }
            String before = state == null ? null : state.segment();
            boolean mayRepeat = batch.mayRepeatAnUnfinishedBatch();
            if (mayRepeat && (state == null || state.isLogged())) {
                // An unfinished delivery of this event may have logged a move assessed at its own now: this delivery
                // logs the move it assesses, or none. (A state not logged yet finds such a move as the log's last
                // below, and the log goes on from it.)
                supersede(batch, envelope, SegmentChange.causedByEventId(envelope.customerId(), envelope.sequence()));
            }
            boolean ownChange = true;
            if (state != null && !state.isLogged()) {
                // First event of a customer since this rebuilt version began logging, before the run that reconciles
                // every customer got to them: the log may end elsewhere than this version's segment. The changes an
                // unfinished delivery of this event made taking the log over are replaced, not taken for the log's.
                List<String> unfinished = mayRepeat ? List.of(
                        SegmentChange.causedByRebuildId(state.id(), envelope.sequence(), store.version().version(), false),
                        SegmentChange.causedByRebuildId(state.id(), state.lastSequence(), store.version().version(), false))
                        : List.of();
                unfinished.forEach(id -> supersede(batch, envelope, id));
                SegmentChange last = store.lastLogged(List.of(state.id()), unfinished).get(state.id());
                String logged = last == null ? null : last.to();
                if (last != null && last.sequence() > envelope.sequence()) {
                    // The version this one replaced logged later events already (it ran ahead): this version's moves
                    // up to there are in the log as that one's; it takes the log over at the last of them.
                    return assessed.withLogged(false);
                }
                if (last != null && last.sequence() == envelope.sequence()) {
                    // The version this one replaced logged this event already: the log goes on from there, to this
                    // version's assessment after the event.
                    ownChange = false;
                    if (!Objects.equals(logged, assessed.segment())) {
                        batch.addSideDocument(SegmentChange.causedByRebuild(state.id(), envelope.sequence(), logged,
                                assessed.assessment(), store.version().version(), false, clock.instant(),
                                loggingClock.instant()));
                    }
                } else if (!Objects.equals(logged, before)) {
                    batch.addSideDocument(SegmentChange.causedByRebuild(state.id(), state.lastSequence(), logged,
                            state.assessment(), store.version().version(), false, clock.instant(),
                            loggingClock.instant()));
                }
            }
            if (ownChange && !Objects.equals(before, assessed.segment())) {
                batch.addSideDocument(SegmentChange.causedByEvent(envelope.customerId(), envelope.sequence(),
                        envelope.eventId(), before, assessed.assessment(), envelope.occurredAt(), envelope.recordedAt(),
                        loggingClock.instant()));
            }
            return assessed.withLogged(true);
        });
    }

    private static void supersede(ProjectionBatch<SegmentState> batch, EventEnvelope envelope, String changeId) {
        batch.supersede(envelope.customerId(), envelope.sequence(), changeId);
    }

    /**
     * Re-evaluating every customer takes as long as the customer base needs (seconds per ten thousand), so
     * Axon's default handler timeout, which would interrupt it and have the batch retried forever, is lifted.
     */
    @EventHandler
    @MessageHandlerTimeout(timeoutMs = Integer.MAX_VALUE, warningThresholdMs = 60_000, warningIntervalMs = 60_000)
    void on(SegmentationRulesPublished published) throws InterruptedException {
        // Customers' events earlier in this batch are written first, so the re-evaluation sees them (and the store's
        // lock is let go: the re-evaluation takes it page by page).
        projector.flush();
        reevaluation.rulesPublished(store, published, clock.instant());
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
