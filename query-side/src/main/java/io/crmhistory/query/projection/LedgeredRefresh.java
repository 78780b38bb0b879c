package io.crmhistory.query.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Figures kept beside a read model from other read models (the segment and the forecast on each directory entry):
 * a {@link BackgroundRefresh} for the customers of each committed batch, deferred while the projections catch up
 * ({@link CatchUpDeferral}), and a full refresh of every customer when its {@link RefreshLedger} cannot vouch for
 * them. What {@code DirectorySegments} and {@code ForecastRefresh} share; each says what a full refresh is made
 * from (its basis) and how to do one.
 */
public final class LedgeredRefresh {

    /** Refreshes every customer, then reports it with {@link #fullyRefreshed}. */
    @FunctionalInterface
    public interface FullRefresh {

        /**
         * @param reason           why, for the log
         * @param repairedSessions abandoned sessions this refresh repairs
         */
        void run(String reason, Set<String> repairedSessions);
    }

    private final BackgroundRefresh refresh;
    private final RefreshLedger ledger;
    private final CatchUpDeferral deferral;
    private final Consumer<List<String>> refreshCustomers;
    private final Duration stopPatience;
    /** The basis of the last full refresh ("none" when never, or when the ledger's is no longer good). */
    private volatile String refreshedFor;

    /**
     * Opens the ledger's session: make it before the processors start (see {@link RefreshLedger}).
     *
     * @param stillGood whether the basis of the last completed full refresh still holds at this start
     */
    public LedgeredRefresh(BackgroundRefreshes refreshes, String name, CatchUpDeferral deferral, Duration stopPatience,
                           Consumer<List<String>> refreshCustomers, Predicate<RefreshLedger.Basis> stillGood) {
        this.refresh = refreshes.create(name);
        this.ledger = refreshes.ledger(name);
        this.deferral = deferral;
        this.refreshCustomers = refreshCustomers;
        this.stopPatience = stopPatience;
        this.refreshedFor = ledger.open().filter(stillGood).map(RefreshLedger.Basis::basis).orElse("none");
    }

    /** These customers' documents changed in a committed batch: refresh them, or later if catching up. */
    public void committed(Set<String> customerIds) {
        if (!deferral.defer(customerIds)) {
            refresh.customers(customerIds, refreshCustomers);
        }
    }

    /**
     * One scheduled round: every customer when the entries were last fully refreshed from another basis, when too
     * many refreshes were deferred while catching up to remember, when an instance stopped with refreshes owed or
     * crashed, or after a failed run; else the customers deferred, once the projections have caught up.
     *
     * @param basis what the entries must be fully refreshed from now; null when there is nothing to keep (then an
     *              abandoned session left nothing to repair either)
     */
    public void check(String basis, FullRefresh full) {
        CatchUpDeferral.Owed owed = deferral.caughtUpAfterDeferring();
        boolean failed = refresh.takeFailure();
        if (failed) {
            ledger.handOutAgain();
        }
        Set<String> abandoned = ledger.beatAndFindAbandoned();
        if (basis == null) {
            ledger.dismiss(abandoned);
        } else {
            String reason = !basis.equals(refreshedFor) ? "last fully refreshed from " + refreshedFor
                    : owed.everyone() ? "more refreshes deferred while catching up than remembered"
                    : !abandoned.isEmpty() ? "instances stopped with refreshes owed: " + abandoned
                    : failed ? "a refresh failed" : null;
            if (reason != null) {
                refreshedFor = basis;
                refresh.runFull(() -> full.run(reason, abandoned));
            } else if (!owed.customers().isEmpty()) {
                refresh.customers(owed.customers(), refreshCustomers);
            }
        }
        refresh.startChecked();
    }

    /** A full refresh asked for outside the rounds (a value model published, the daily one). */
    public void runFull(String reason, FullRefresh full) {
        refresh.runFull(() -> full.run(reason, Set.of()));
    }

    /** Reported by a full refresh that completed from {@code basis}, as of {@code asOf}. */
    public void fullyRefreshed(String basis, Instant asOf, Set<String> repairedSessions) {
        ledger.fullyRefreshed(basis, asOf, repairedSessions);
        refreshedFor = basis;
    }

    /**
     * For the owner's stop, after the processors stopped (Axon stops them with the context, before beans are
     * destroyed), so nothing more is deferred: the customers deferred while they caught up (a stop during a busy
     * ingest) are refreshed now, within the patience, so that the stop is clean. Too many to remember, a queue not
     * done in time or a failed run leave the session abandoned, for the next look to refresh everyone.
     */
    public void stop() {
        CatchUpDeferral.Owed owed = deferral.takeAll();
        if (!owed.customers().isEmpty()) {
            refresh.customers(owed.customers(), refreshCustomers);
        }
        boolean done = refresh.finish(stopPatience);
        ledger.close(done && !owed.everyone());
    }
}
