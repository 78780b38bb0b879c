package io.crmhistory.query.prediction;

import java.time.Instant;
import java.time.LocalDate;

/**
 * How far a fit of the value model got: reading every customer's purchases (the long part on a large base,
 * {@code customersRead} of {@code customers}), then the two optimisations; {@code progress} runs from 0 to 1
 * (reading is the first half). {@code phase} ends as {@code FITTED version n} or {@code FAILED} with the reason.
 */
public record FitProgress(String phase, long customersRead, long customers, double progress, String fittedBy,
                          LocalDate calibrationEnd, Instant startedAt, Instant finishedAt, String failure) {

    static final String READING = "READING_PURCHASES";
    static final String FITTING_BG_NBD = "FITTING_BG_NBD";
    static final String FITTING_GAMMA_GAMMA = "FITTING_GAMMA_GAMMA";
    static final String FITTED = "FITTED";
    static final String FAILED = "FAILED";

    FitProgress read(long read) {
        long total = Math.max(customers, read);
        return new FitProgress(phase, read, total, total == 0 ? 0.5 : 0.5 * read / total, fittedBy, calibrationEnd,
                startedAt, finishedAt, failure);
    }

    FitProgress phase(String next, double reached) {
        return new FitProgress(next, customersRead, customers, reached, fittedBy, calibrationEnd, startedAt,
                finishedAt, failure);
    }

    FitProgress finished(String outcome, Instant at, String reason) {
        return new FitProgress(outcome, customersRead, customers, 1, fittedBy, calibrationEnd, startedAt, at, reason);
    }
}
