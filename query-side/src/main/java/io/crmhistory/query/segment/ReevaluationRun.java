package io.crmhistory.query.segment;

import io.crmhistory.platform.time.StoredPrecision;
import org.springframework.data.annotation.Id;

import java.time.Instant;

/**
 * The last re-evaluation of every customer of one segment store, as stored after each of its pages: its cause, the
 * rules and the instant it evaluates at, and the last customer id it got through. One a crash interrupted is
 * finished from there, at the same instant, so it writes the same change records (their ids are made of those) and
 * never loses or doubles a mover.
 * <p>
 * {@code owner} is the query-side instance running it, which proves it is alive by {@code heartbeatAt} (stored with
 * each page): a run whose heartbeat is older than a lease is taken over. {@code rulesVersion} is the newest rules
 * version whose re-evaluation finished, so a publication delivered again is not applied twice.
 * {@code changeLogReconciled} says whether a {@link SegmentChange#REBUILD} run has compared every customer of the
 * store with the change log since the store went live (only a rebuilt version needs one).
 */
record ReevaluationRun(@Id String id,
                       String cause,
                       int ruleVersion,
                       Instant at,
                       long customers,
                       String afterId,
                       long evaluated,
                       long moved,
                       Instant startedAt,
                       Instant finishedAt,
                       String owner,
                       Instant heartbeatAt,
                       int rulesVersion,
                       boolean changeLogReconciled) {

    static final String ID = "last";

    /** Before the first run: the rules every store starts with need no re-evaluation. */
    static final ReevaluationRun NONE = new ReevaluationRun(ID, null, 1, null, 0, null, 0, 0, null, null, null, null, 1, false);

    /**
     * {@code at} is cut to the milliseconds MongoDB keeps ({@link StoredPrecision}), so that a run finished after a
     * crash evaluates at exactly the instant its first pages did.
     */
    static ReevaluationRun start(ReevaluationRun last, String cause, int ruleVersion, Instant at, long customers,
                                 String owner, Instant startedAt, Instant heartbeat) {
        return new ReevaluationRun(ID, cause, ruleVersion, StoredPrecision.of(at), customers, null, 0, 0,
                startedAt, null, owner, heartbeat, last.rulesVersion(), last.changeLogReconciled());
    }

    boolean finished() {
        return cause == null || finishedAt != null;
    }

    /** Whether its owner stored a page (or started it) at {@code staleBefore} or later. */
    boolean aliveAt(Instant staleBefore) {
        return heartbeatAt != null && !heartbeatAt.isBefore(staleBefore);
    }

    ReevaluationRun takenOverBy(String newOwner, Instant heartbeat) {
        return new ReevaluationRun(ID, cause, ruleVersion, at, customers, afterId, evaluated, moved, startedAt, null,
                newOwner, heartbeat, rulesVersion, changeLogReconciled);
    }

    ReevaluationRun afterPage(String lastId, int evaluatedNow, int movedNow, Instant heartbeat) {
        long evaluatedSoFar = evaluated + evaluatedNow;
        return new ReevaluationRun(ID, cause, ruleVersion, at, Math.max(customers, evaluatedSoFar), lastId,
                evaluatedSoFar, moved + movedNow, startedAt, null, owner, heartbeat, rulesVersion, changeLogReconciled);
    }

    ReevaluationRun finish(Instant finishedAt, Instant heartbeat) {
        int applied = SegmentChange.RULES.equals(cause) ? Math.max(rulesVersion, ruleVersion) : rulesVersion;
        return new ReevaluationRun(ID, cause, ruleVersion, at, evaluated, afterId, evaluated, moved, startedAt,
                finishedAt, owner, heartbeat, applied, changeLogReconciled || SegmentChange.REBUILD.equals(cause));
    }

    /** The share of the customers evaluated, 0 to 1. */
    double share() {
        return customers == 0 ? 1 : Math.min(1, evaluated / (double) customers);
    }
}
