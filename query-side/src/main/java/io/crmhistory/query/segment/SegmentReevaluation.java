package io.crmhistory.query.segment;

import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Re-evaluates every customer's segment without an event of theirs: daily (recency drifts with time) and when
 * new rules are published, in pages of {@value #PAGE_SIZE} customers. Each update is conditional on the
 * document being unchanged since it was read, so a concurrent projection batch (or another instance's run)
 * always wins over this stale view; a mover's {@link SegmentChange} is recorded only when its update applied.
 * The run in progress (or the last one) is reported as a {@link Progress}.
 */
final class SegmentReevaluation {

    private static final Logger log = LoggerFactory.getLogger(SegmentReevaluation.class);
    static final int PAGE_SIZE = 1000;

    /** How far a re-evaluation got: {@code customers} is the count when it started. */
    record Progress(String cause, int ruleVersion, long customers, long evaluated, long moved, Instant startedAt,
                    Instant finishedAt, Instant sampledAt) {

        double share() {
            return customers == 0 ? 1 : Math.min(1, evaluated / (double) customers);
        }
    }

    private final Clock clock;
    private final ReadModelVersions versions;
    private volatile Progress progress;

    SegmentReevaluation(Clock clock, ReadModelVersions versions) {
        this.clock = clock;
        this.versions = versions;
    }

    Optional<Progress> progress() {
        return Optional.ofNullable(progress);
    }

    /** @return how many customers moved to another segment */
    int reevaluateAll(SegmentStore store, String cause, Instant now) {
        SegmentEvaluator evaluator = store.ruleBook().current();
        long customers = store.count();
        Instant startedAt = clock.instant();
        progress = new Progress(cause, evaluator.version(), customers, 0, 0, startedAt, null, startedAt);
        int moved = 0;
        int seen = 0;
        String afterId = null;
        List<SegmentState> page;
        do {
            page = store.page(afterId, PAGE_SIZE);
            List<Move> movers = new ArrayList<>();
            BulkOperations updates = store.mongo().bulkOps(BulkOperations.BulkMode.UNORDERED, store.collection());
            for (SegmentState state : page) {
                seen++;
                afterId = state.id();
                SegmentState assessed = SegmentLogic.assess(state, evaluator, now, now);
                updates.updateOne(unchanged(state), assessmentOf(assessed));
                if (!Objects.equals(state.segment(), assessed.segment())) {
                    movers.add(new Move(state, assessed));
                }
            }
            if (!page.isEmpty()) {
                // Matched, not modified: an assessment identical to the stored one (same instant and rules) still applied.
                long applied = updates.execute().getMatchedCount();
                store.states().forget(page.stream().map(SegmentState::id).toList());
                moved += recordMoves(store, movers, applied == page.size(), cause, now);
            }
            progress = new Progress(cause, evaluator.version(), Math.max(customers, seen), seen, moved, startedAt, null,
                    clock.instant());
        } while (page.size() == PAGE_SIZE);
        progress = new Progress(cause, evaluator.version(), seen, seen, moved, startedAt, clock.instant(),
                clock.instant());
        log.info("Segments re-evaluated ({}) at {} with rules version {}: {} customers, {} moved",
                cause, now, evaluator.version(), seen, moved);
        return moved;
    }

    /**
     * Records a {@link SegmentChange} for each mover whose update applied: all of them when every update of the
     * page applied (the usual case), else those whose document still has the sequence read and the new segment
     * (a concurrent projection batch, which wins, moved the others itself).
     */
    private int recordMoves(SegmentStore store, List<Move> movers, boolean allApplied, String cause, Instant now) {
        if (movers.isEmpty()) {
            return 0;
        }
        Map<String, SegmentState> stored = new HashMap<>();
        if (!allApplied) {
            store.states().loadStored(movers.stream().map(mover -> mover.before().id()).toList())
                    .forEach(stored::put);
        }
        List<Object> changes = new ArrayList<>();
        java.util.Set<String> moved = new java.util.HashSet<>();
        for (Move mover : movers) {
            SegmentState before = mover.before();
            SegmentState assessed = mover.after();
            SegmentState current = stored.get(before.id());
            boolean applied = allApplied || (current != null && current.lastSequence() == before.lastSequence()
                    && Objects.equals(current.segment(), assessed.segment()));
            if (applied) {
                changes.add(SegmentChange.causedByReevaluation(before, cause, assessed.assessment(), now));
                moved.add(before.id());
            }
        }
        store.states().writeSideDocuments(changes);
        versions.changed(Projections.SEGMENT, moved);
        return changes.size();
    }

    /** A customer the new assessment moves to another segment. */
    private record Move(SegmentState before, SegmentState after) {
    }

    private static Query unchanged(SegmentState state) {
        Criteria criteria = Criteria.where("_id").is(state.id()).and("lastSequence").is(state.lastSequence());
        if (state.assessment() != null) {
            criteria = criteria.and("assessment.ruleVersion").is(state.assessment().ruleVersion())
                    .and("assessment.evaluatedAt").is(state.assessment().evaluatedAt());
        }
        return Query.query(criteria);
    }

    private static Update assessmentOf(SegmentState assessed) {
        return new Update().set("assessment", assessed.assessment()).set("since", assessed.since());
    }
}
