package io.crmhistory.query.projection;

import java.util.List;

/** The read models; each is one projection with its own processing group (and processor) of this name. */
public final class Projections {

    public static final String HISTORY = "history";
    public static final String VALUE = "value";
    public static final String SEGMENT = "segment";
    public static final String DIRECTORY = "directory";

    public static final List<String> ALL = List.of(HISTORY, VALUE, SEGMENT, DIRECTORY);

    private Projections() {
    }
}
