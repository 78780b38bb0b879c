package io.crmhistory.query.segment;

import com.mongodb.client.result.UpdateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Re-evaluates every customer's segment without an event of theirs: daily (recency drifts with time,
 * {@code crm.segments.reevaluation-cron}) and when new rules are published. Each update is conditional on
 * the document being unchanged since it was read, so a concurrent projection batch (or another
 * instance's run) always wins over this stale view; a mover's {@link SegmentChange} is recorded only
 * when its update applied.
 */
@Component
class SegmentReevaluation {

    private static final Logger log = LoggerFactory.getLogger(SegmentReevaluation.class);
    static final int PAGE_SIZE = 1000;

    private final SegmentStore store;
    private final RuleBook ruleBook;
    private final Clock clock;

    SegmentReevaluation(SegmentStore store, RuleBook ruleBook, Clock clock) {
        this.store = store;
        this.ruleBook = ruleBook;
        this.clock = clock;
    }

    @Scheduled(cron = "${crm.segments.reevaluation-cron:0 0 2 * * *}", zone = "UTC")
    void daily() {
        reevaluateAll(SegmentChange.TIME, clock.instant());
    }

    /** @return how many customers moved to another segment */
    int reevaluateAll(String cause, Instant now) {
        SegmentEvaluator evaluator = ruleBook.current();
        int moved = 0;
        int seen = 0;
        String afterId = null;
        List<SegmentState> page;
        do {
            page = store.page(afterId, PAGE_SIZE);
            BulkOperations refreshed = null;
            for (SegmentState state : page) {
                seen++;
                afterId = state.id();
                SegmentState assessed = SegmentLogic.assess(state, evaluator, now, now);
                if (!Objects.equals(state.segment(), assessed.segment())) {
                    UpdateResult result = store.mongo().updateFirst(unchanged(state), assessmentOf(assessed),
                            SegmentStore.COLLECTION);
                    if (result.getModifiedCount() == 1) {
                        store.states().writeSideDocuments(List.of(
                                SegmentChange.causedByReevaluation(state, cause, assessed.assessment(), now)));
                        moved++;
                    }
                } else {
                    if (refreshed == null) {
                        refreshed = store.mongo().bulkOps(BulkOperations.BulkMode.UNORDERED, SegmentStore.COLLECTION);
                    }
                    refreshed.updateOne(unchanged(state), assessmentOf(assessed));
                }
            }
            if (refreshed != null) {
                refreshed.execute();
            }
        } while (page.size() == PAGE_SIZE);
        log.info("Segments re-evaluated ({}) at {} with rules version {}: {} customers, {} moved",
                cause, now, evaluator.version(), seen, moved);
        return moved;
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
