package io.crmhistory.command.importing;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Counts outcomes as the lanes report them; keeps only the first refusals' details, to bound memory. */
final class ImportTally {

    /** Details kept for at most this many refused lines; all are counted. */
    static final int MAX_ERRORS = 1000;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** Highest line number on top, so the kept details are always those of the first refused lines. */
    private final PriorityQueue<ImportReport.LineError> errors =
            new PriorityQueue<>(Comparator.comparingLong(ImportReport.LineError::line).reversed());

    void accepted() {
        accepted.incrementAndGet();
    }

    void duplicate() {
        duplicates.incrementAndGet();
    }

    void rejected(long line, String detail) {
        rejected.incrementAndGet();
        synchronized (errors) {
            // Lanes report out of line order: keep the lowest line numbers, as a reader expects.
            errors.add(new ImportReport.LineError(line, detail));
            if (errors.size() > MAX_ERRORS) {
                errors.poll();
            }
        }
    }

    ImportReport report() {
        List<ImportReport.LineError> sorted;
        synchronized (errors) {
            sorted = errors.stream().sorted(Comparator.comparingLong(ImportReport.LineError::line)).toList();
        }
        return new ImportReport(accepted.get(), duplicates.get(), rejected.get(), sorted);
    }
}
