package io.crmhistory.query.projection;

/**
 * One version of a read model: its own collections and its own processor (with its own tokens and dead
 * letters), so a rebuild can fill version n + 1 beside the live version n. Version 1 keeps the plain
 * names, so read models written before versions existed are version 1 as they are.
 */
public record ProjectionVersion(String projection, int version) {

    public ProjectionVersion {
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1: " + version);
        }
    }

    /** The processor's name, which also names its tokens and its dead-letter queue. */
    public String processorName() {
        return version == 1 ? projection : projection + "-v" + version;
    }

    /** This version's name of a collection, given its base name. */
    public String collection(String baseName) {
        return version == 1 ? baseName : baseName + "_v" + version;
    }

    @Override
    public String toString() {
        return projection + " v" + version;
    }
}
