package io.crmhistory.query.projection;

/** A rebuild was asked for while one of the same read model runs: answered 409. */
public class RebuildConflictException extends RuntimeException {

    public RebuildConflictException(String projection, Integer runningVersion) {
        super(runningVersion == null
                ? "a rebuild of " + projection + " is already running"
                : "version " + runningVersion + " of " + projection + " is being rebuilt; wait for it or cancel it first");
    }
}
