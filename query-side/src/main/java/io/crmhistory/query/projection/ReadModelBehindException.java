package io.crmhistory.query.projection;

import java.time.Duration;

/** A read asked for a version the read model did not reach within the allowed wait. */
public class ReadModelBehindException extends RuntimeException {

    private final String readModel;
    private final long requiredVersion;
    private final long reachedVersion;

    public ReadModelBehindException(String readModel, String customerId, long requiredVersion, long reachedVersion,
                                    Duration waited) {
        super("the " + readModel + " read model reflects customer '" + customerId + "' up to version "
                + reachedVersion + ", not yet " + requiredVersion + " (waited " + waited.toMillis() + " ms)");
        this.readModel = readModel;
        this.requiredVersion = requiredVersion;
        this.reachedVersion = reachedVersion;
    }

    public String readModel() {
        return readModel;
    }

    public long requiredVersion() {
        return requiredVersion;
    }

    /** {@code -1} when the read model does not know the customer yet. */
    public long reachedVersion() {
        return reachedVersion;
    }
}
