package io.crmhistory.platform.security;

import java.util.List;

/** The roles of SPEC section 8, as used in {@code hasRole(...)} rules and in the users' role lists. */
public final class CrmRoles {

    /** Records what happens to customers: commands and imports. */
    public static final String WRITER = "WRITER";
    /** Reads the read models. */
    public static final String READER = "READER";
    /** Replays histories, reads raw events and verifies them. */
    public static final String AUDITOR = "AUDITOR";
    /** Changes segmentation rules, rebuilds projections, fits models. */
    public static final String OPS = "OPS";

    public static final List<String> ALL = List.of(WRITER, READER, AUDITOR, OPS);

    private CrmRoles() {
    }
}
