package io.crmhistory.query.projection;

/**
 * Makes the read-model writes so far survive a crash of this process, for the few writes that are answered
 * to a client and cannot be redone from the event store (a fitted model version, a rebuild's start, an audit
 * access entry). The embedded store commits its file at an interval (a crash loses the last one, which the
 * projections redo from the events); this commits it now. On MongoDB an acknowledged write is already as
 * durable as its write concern, so there is nothing to do.
 */
@FunctionalInterface
public interface ReadModelCommits {

    void commitNow();
}
