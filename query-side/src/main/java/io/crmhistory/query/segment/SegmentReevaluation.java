package io.crmhistory.query.segment;

import io.crmhistory.api.rules.SegmentationRulesPublished;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Re-evaluates every customer's segment without an event of theirs: daily (recency drifts with time), when new
 * rules are published and when a new value model is, in pages of {@value #PAGE_SIZE} customers. A run with cause
 * {@link SegmentChange#REBUILD} evaluates nothing: it reconciles a rebuilt version that went live with the change
 * log (see {@link SegmentStore#logsChanges()}); any run does that for the unlogged customers of its pages.
 * <p>
 * Each update is conditional on the document being unchanged since it was read, so a concurrent projection batch
 * always wins over this stale view. A page records its movers' {@link SegmentChange}s <em>before</em> updating
 * their states and then withdraws those whose update did not apply: the other way round, a crash between the two
 * writes would leave customers moved with no record of it, and no later run would see them move again.
 * <p>
 * Where a run got is stored after each page ({@link ReevaluationRun}). One a crash interrupted is finished before
 * the next starts, at its own instant, so the page it was in writes the same records again (stored ones are kept)
 * and the customers it had moved are no movers any more. One run at a time per store across every instance: a run
 * is claimed, and one whose owner stopped storing pages for {@link #LEASE} is taken over. The stored run is also
 * what ops see of it, from any instance.
 */
final class SegmentReevaluation {

    private static final Logger log = LoggerFactory.getLogger(SegmentReevaluation.class);
    static final int PAGE_SIZE = 1000;
    /** Far longer than a page takes (about a second at a million customers), even behind a long GC pause. */
    static final Duration LEASE = Duration.ofMinutes(1);
    private static final Duration WAIT_STEP = Duration.ofSeconds(1);

    private final Clock clock;
    private final Clock leaseClock;
    private final ReadModelVersions versions;
    private final String owner = UUID.randomUUID().toString();

    /**
     * @param clock      the business clock: when runs start and finish (pinned by {@code crm.clock.fixed})
     * @param leaseClock the machine's clock for heartbeats, which must move even when the business clock is pinned
     */
    SegmentReevaluation(Clock clock, Clock leaseClock, ReadModelVersions versions) {
        this.clock = clock;
        this.leaseClock = leaseClock;
        this.versions = versions;
    }

    /**
     * Re-evaluates every customer at {@code now} under the rules in force, after finishing a run a crash
     * interrupted; skipped while another instance runs one (the daily run and a new value model reach every
     * instance, one run is enough).
     *
     * @return how many customers moved to another segment
     */
    long reevaluateAll(SegmentStore store, String cause, Instant now) {
        synchronized (store) {
            ReevaluationRun last = finishInterrupted(store);
            if (!last.finished()) {
                log.info("Not re-evaluating segments ({}): instance {} is running a re-evaluation ({})", cause,
                        last.owner(), last.cause());
                return 0;
            }
            return start(store, last, cause, now).map(ReevaluationRun::moved).orElse(0L);
        }
    }

    /**
     * A rule set was published: the rules in force are applied to every customer unless a run under them finished
     * already (a publication of older rules, or one delivered again after its run had finished). A run of another
     * instance is waited for, and one a crash interrupted is finished first, under the rules it began with.
     */
    void rulesPublished(SegmentStore store, SegmentationRulesPublished published, Instant now)
            throws InterruptedException {
        synchronized (store) {
            ReevaluationRun last = awaitFinished(store);
            if (store.ruleBook().publish(published)) {
                log.info("Segmentation rules version {} published by {}: re-evaluating every customer",
                        published.version(), published.publishedBy());
            }
            // Another instance may claim the store between the wait and the start (a daily run): wait again.
            while (last.rulesVersion() < store.ruleBook().current().version()
                    && start(store, last, SegmentChange.RULES, now).isEmpty()) {
                Thread.sleep(WAIT_STEP.toMillis());
                last = awaitFinished(store);
            }
        }
    }

    private ReevaluationRun awaitFinished(SegmentStore store) throws InterruptedException {
        ReevaluationRun last = finishInterrupted(store);
        while (!last.finished()) {
            Thread.sleep(WAIT_STEP.toMillis());
            last = finishInterrupted(store);
        }
        return last;
    }

    /**
     * Finishes the store's last run if it is unfinished and its owner is gone (or it is this instance's own, which
     * failed).
     *
     * @return the store's last run: finished, or running on another instance
     */
    ReevaluationRun finishInterrupted(SegmentStore store) {
        synchronized (store) {
            ReevaluationRun last = store.lastReevaluation();
            if (last.finished() || (!owner.equals(last.owner()) && last.aliveAt(staleBefore()))) {
                return last;
            }
            ReevaluationRun resumed = last.takenOverBy(owner, leaseClock.instant());
            if (store.claim(resumed, staleBefore())) {
                log.info("Finishing the re-evaluation ({}) at {} that stopped after {} of {} customers",
                        last.cause(), last.at(), last.evaluated(), last.customers());
                run(store, resumed);
            }
            return store.lastReevaluation();
        }
    }

    /** @return the run, finished (or taken over), if this instance could claim the store for it */
    private Optional<ReevaluationRun> start(SegmentStore store, ReevaluationRun last, String cause, Instant now) {
        ReevaluationRun run = ReevaluationRun.start(last, cause, store.ruleBook().current().version(), now,
                store.count(), owner, clock.instant(), leaseClock.instant());
        if (!store.claim(run, staleBefore())) {
            log.info("Not re-evaluating segments ({}) now: another instance has just started a re-evaluation", cause);
            return Optional.empty();
        }
        return Optional.of(run(store, run));
    }

    /** Runs a claimed run from where it stands; stops if another instance has taken it over. */
    private ReevaluationRun run(SegmentStore store, ReevaluationRun claimed) {
        SegmentEvaluator evaluator = store.ruleBook().evaluator(claimed.ruleVersion());
        if (claimed.cause() != null && store.logsChanges()) {
            store.states().betweenBatches(() -> withdrawOrphanedRecords(store, claimed));
        }
        ReevaluationRun run = claimed;
        List<SegmentState> page;
        do {
            // A page is read and updated between projection batches, never while one holds states of its customers.
            ReevaluationRun at = run;
            Page done = store.states().betweenBatches(() -> {
                List<SegmentState> read = store.page(at.afterId(), PAGE_SIZE);
                return new Page(read, read.isEmpty() ? 0 : reevaluatePage(store, read, evaluator, at.cause(), at.at()));
            });
            page = done.states();
            int moved = done.moved();
            if (!page.isEmpty()) {
                run = run.afterPage(page.get(page.size() - 1).id(), page.size(), moved, leaseClock.instant());
                if (!store.save(run)) {
                    log.warn("Re-evaluation ({}) at {} taken over by another instance after {} customers",
                            run.cause(), run.at(), run.evaluated());
                    return run;
                }
            }
        } while (page.size() == PAGE_SIZE);
        run = run.finish(clock.instant(), leaseClock.instant());
        store.save(run);
        if (SegmentChange.REBUILD.equals(run.cause())) {
            log.info("Segment change log reconciled with {}: {} customers, {} of them in another segment than the"
                    + " log's last change (REBUILD changes recorded)", store.version(), run.evaluated(), run.moved());
        } else {
            log.info("Segments re-evaluated ({}) at {} with rules version {}: {} customers, {} moved",
                    run.cause(), run.at(), evaluator.version(), run.evaluated(), run.moved());
        }
        return run;
    }

    private Instant staleBefore() {
        return leaseClock.instant().minus(LEASE);
    }

    /**
     * Re-evaluates a page at {@code now} ({@link SegmentChange#REBUILD} runs do not: they only reconcile) and, in the
     * live version, records each customer's move, after first recording where an unlogged state (written while the
     * version was being rebuilt) differs from the end of the change log.
     *
     * @return how many of the page's customers moved (or, in a {@code REBUILD} run, were reconciled with a change)
     */
    private int reevaluatePage(SegmentStore store, List<SegmentState> page, SegmentEvaluator evaluator, String cause,
                               Instant now) {
        boolean logs = store.logsChanges();
        boolean reassess = !SegmentChange.REBUILD.equals(cause);
        Map<String, SegmentChange> logged = logs ? store.lastLogged(page.stream().filter(state -> !state.isLogged())
                .map(SegmentState::id).toList()) : Map.of();
        List<Move> movers = new ArrayList<>();
        BulkOperations updates = store.mongo().bulkOps(BulkOperations.BulkMode.UNORDERED, store.collection());
        int updated = 0;
        for (SegmentState state : page) {
            SegmentState assessed = reassess ? SegmentLogic.assess(state, evaluator, now, now) : state;
            SegmentChange last = logged.get(state.id());
            // A customer the replaced version logged an event of that this one has not handled yet is left to the
            // projection, which reconciles them on that event.
            boolean reconcile = logs && !state.isLogged()
                    && (last == null || last.sequence() <= state.lastSequence());
            boolean logsMove = logs && (state.isLogged() || reconcile);
            if (!reassess && !reconcile) {
                continue;
            }
            String from = last == null ? null : last.to();
            if (reconcile && !Objects.equals(from, state.segment())) {
                movers.add(new Move(state, assessed.segment(), SegmentChange.causedByRebuild(state.id(),
                        state.lastSequence(), from, state.assessment(), store.version().version(), true, now,
                        leaseClock.instant())));
            }
            if (logsMove && !Objects.equals(state.segment(), assessed.segment())) {
                movers.add(new Move(state, assessed.segment(), SegmentChange.causedByReevaluation(state, cause,
                        assessed.assessment(), now, leaseClock.instant())));
            }
            updates.updateOne(unchanged(state), assessmentOf(assessed, reconcile));
            updated++;
        }
        if (updated == 0) {
            return 0;
        }
        store.states().writeSideDocuments(movers.stream().<Object>map(Move::change).toList());
        // Matched, not modified: an assessment identical to the stored one (same instant and rules) still applied.
        long applied = updates.execute().getMatchedCount();
        store.states().forget(page.stream().map(SegmentState::id).toList());
        List<Move> moved = applied == updated ? movers : withdrawUnapplied(store, movers);
        Set<String> movedCustomers = moved.stream().map(mover -> mover.change().customerId())
                .collect(Collectors.toSet());
        versions.changed(Projections.SEGMENT, movedCustomers);
        return movedCustomers.size();
    }

    /**
     * Some updates of the page did not apply (a concurrent projection batch, which wins, moved those customers
     * itself): withdraws the change records of the movers whose document no longer has the sequence read and
     * the new segment.
     *
     * @return the movers whose update applied
     */
    private static List<Move> withdrawUnapplied(SegmentStore store, List<Move> movers) {
        if (movers.isEmpty()) {
            return movers;
        }
        Map<String, SegmentState> stored = store.states().loadStored(
                movers.stream().map(mover -> mover.change().customerId()).toList());
        List<Move> applied = new ArrayList<>();
        List<String> withdrawn = new ArrayList<>();
        for (Move mover : movers) {
            SegmentChange change = mover.change();
            SegmentState current = stored.get(change.customerId());
            if (current != null && current.lastSequence() == mover.before().lastSequence()
                    && Objects.equals(current.segment(), mover.after())) {
                applied.add(mover);
            } else {
                withdrawn.add(change.id());
            }
        }
        store.withdrawChanges(withdrawn);
        return applied;
    }

    /**
     * A crash between a page's change records and its update leaves records whose move did not happen; the resumed
     * run writes the same records again and applies the moves, unless a mover had an event meanwhile: the resumed page
     * then reads a later sequence, makes other records, and the first ones would stay in the log, a move that never
     * happened. So a run first looks at its own records past the last page it stored: one whose customer has moved on
     * is kept only if the log goes on from where it moved them (the next change starts there, or with none the
     * customer is still there); the others are withdrawn. Nothing to find for a run that starts afresh.
     *
     * @return the records withdrawn
     */
    private static int withdrawOrphanedRecords(SegmentStore store, ReevaluationRun run) {
        Criteria ofThisRun = Criteria.where("cause").is(run.cause()).and("ruleVersion").is(run.ruleVersion())
                .and("occurredAt").is(run.at());
        if (run.afterId() != null) {
            ofThisRun = ofThisRun.and("customerId").gt(run.afterId());
        }
        List<SegmentChange> own = store.mongo().find(Query.query(ofThisRun), SegmentChange.class, store.changes());
        if (own.isEmpty()) {
            return 0;
        }
        Map<String, SegmentState> states = store.states().loadStored(
                own.stream().map(SegmentChange::customerId).distinct().toList());
        List<String> withdrawn = new ArrayList<>();
        for (SegmentChange record : own) {
            SegmentState state = states.get(record.customerId());
            if (state == null || state.lastSequence() == record.sequence()) {
                continue; // the resumed page reads the same state and writes the same record
            }
            List<SegmentChange> chain = store.mongo().find(Query.query(Criteria.where("customerId").is(record.customerId())),
                    SegmentChange.class, store.changes()).stream().sorted(SegmentChange.LOG_ORDER).toList();
            int at = chain.indexOf(record);
            String next = at >= 0 && at + 1 < chain.size() ? chain.get(at + 1).from() : state.segment();
            if (!Objects.equals(next, record.to())) {
                withdrawn.add(record.id());
            }
        }
        store.withdrawChanges(withdrawn);
        if (!withdrawn.isEmpty()) {
            log.info("Withdrew {} segment change records of the interrupted re-evaluation ({}) at {} whose moves never "
                    + "happened (their customers had events before it resumed)", withdrawn.size(), run.cause(), run.at());
        }
        return withdrawn.size();
    }

    /** A page of customers re-evaluated, and how many of them moved. */
    private record Page(List<SegmentState> states, int moved) {
    }

    /** A customer moved from {@code before} to the segment {@code after}, and one record of it. */
    private record Move(SegmentState before, String after, SegmentChange change) {
    }

    private static Query unchanged(SegmentState state) {
        Criteria criteria = Criteria.where("_id").is(state.id()).and("lastSequence").is(state.lastSequence());
        if (state.assessment() != null) {
            criteria = criteria.and("assessment.ruleVersion").is(state.assessment().ruleVersion())
                    .and("assessment.evaluatedAt").is(state.assessment().evaluatedAt());
        }
        return Query.query(criteria);
    }

    private static Update assessmentOf(SegmentState assessed, boolean nowLogged) {
        Update update = new Update().set("assessment", assessed.assessment()).set("since", assessed.since());
        return nowLogged ? update.set("logged", true) : update;
    }
}
