package io.crmhistory.query.projection;

/**
 * Work that follows each committed batch (refreshing figures kept beside a read model) is wasted while the live
 * projections are still catching up after a start: later batches redo most of it. A caller skips it while
 * {@link #defer()} says so and does it once for everyone when {@link #caughtUpAfterDeferring()} says so.
 */
public final class CatchUpDeferral {

    private final ProjectionProcessors processors;
    private final String[] projections;
    private volatile boolean deferred;

    public CatchUpDeferral(ProjectionProcessors processors, String... projections) {
        this.processors = processors;
        this.projections = projections;
    }

    /** True while any of the projections is catching up: the caller skips its per-batch work, owed for later. */
    public boolean defer() {
        if (processors.liveCatchingUp(projections)) {
            deferred = true;
            return true;
        }
        return false;
    }

    /** True once, when work was deferred and the projections have caught up since: time to do it for everyone. */
    public boolean caughtUpAfterDeferring() {
        if (deferred && !processors.liveCatchingUp(projections)) {
            deferred = false;
            return true;
        }
        return false;
    }
}
