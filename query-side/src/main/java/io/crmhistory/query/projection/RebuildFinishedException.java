package io.crmhistory.query.projection;

/** A rebuild was cancelled in the moment it went live: answered 409, since the version it names is now the live one. */
public class RebuildFinishedException extends RuntimeException {

    public RebuildFinishedException(String projection, int version) {
        super("version " + version + " of " + projection + " finished and went live before it could be cancelled; "
                + "start a new rebuild to replace it");
    }
}
