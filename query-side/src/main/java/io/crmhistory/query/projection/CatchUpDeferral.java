package io.crmhistory.query.projection;

import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Work that follows each committed batch (refreshing figures kept beside a read model) is wasted while the live
 * projections are still catching up after a start: later batches redo most of it. A caller skips it while
 * {@link #defer} says so, and once {@link #caughtUpAfterDeferring()} says the projections have caught up, does it
 * for the customers it skipped, or for everyone when they were more than {@value #REMEMBERED} (a catch-up of a
 * large part of the base, where one pass over everyone is the cheaper way). Refreshing everyone after every
 * deferral took 4.6 minutes of the query side at a million customers, for the few thousand customers a burst of
 * commands had touched.
 */
public final class CatchUpDeferral {

    /** About 6 MB of ids at most. */
    static final int REMEMBERED = 100_000;

    private final BooleanSupplier catchingUp;
    private final int remembered;
    private final Set<String> deferred = new HashSet<>();
    private boolean overflowed;

    public CatchUpDeferral(ProjectionProcessors processors, String... projections) {
        this(() -> processors.liveCatchingUp(projections), REMEMBERED);
    }

    CatchUpDeferral(BooleanSupplier catchingUp, int remembered) {
        this.catchingUp = catchingUp;
        this.remembered = remembered;
    }

    /**
     * True while any of the projections is catching up: the caller skips its work for these customers, which is
     * owed for later.
     */
    public boolean defer(Set<String> customerIds) {
        if (!catchingUp.getAsBoolean()) {
            return false;
        }
        synchronized (this) {
            if (!overflowed) {
                deferred.addAll(customerIds);
                if (deferred.size() > remembered) {
                    overflowed = true;
                    deferred.clear();
                }
            }
        }
        return true;
    }

    /**
     * What is owed, handed out once when the projections have caught up since work was deferred: nothing
     * ({@link Owed#NOTHING}), these customers, or everyone.
     */
    public Owed caughtUpAfterDeferring() {
        synchronized (this) {
            if ((deferred.isEmpty() && !overflowed) || catchingUp.getAsBoolean()) {
                return Owed.NOTHING;
            }
            Owed owed = overflowed ? Owed.EVERYONE : new Owed(false, Set.copyOf(deferred));
            deferred.clear();
            overflowed = false;
            return owed;
        }
    }

    /**
     * Everything deferred and not yet handed out, whether the projections have caught up or not: for a stop, once
     * the processors have stopped and nothing more can be deferred.
     */
    public synchronized Owed takeAll() {
        Owed owed = overflowed ? Owed.EVERYONE : new Owed(false, Set.copyOf(deferred));
        deferred.clear();
        overflowed = false;
        return owed;
    }

    /** The work owed after a catch-up: for {@code everyone}, else for these {@code customers} (maybe none). */
    public record Owed(boolean everyone, Set<String> customers) {
        static final Owed NOTHING = new Owed(false, Set.of());
        static final Owed EVERYONE = new Owed(true, Set.of());
    }
}
