package io.crmhistory.command.importing;

import java.util.List;

/**
 * The outcome of an import: lines that recorded something, lines that were already recorded
 * (idempotent retries), lines refused, and why (the first {@link ImportTally#MAX_ERRORS} refusals,
 * in line order; {@code rejected} counts them all).
 */
record ImportReport(long accepted, long duplicates, long rejected, List<LineError> errors) {

    record LineError(long line, String detail) {
    }
}
