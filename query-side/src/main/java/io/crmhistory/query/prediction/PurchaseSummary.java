package io.crmhistory.query.prediction;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * A customer's purchase summary as of a date, the input of the forecast models: purchases on one UTC calendar
 * day are one transaction (amounts summed); {@code x} is the number of distinct purchase days up to and including
 * the date minus one (the repeat transactions), {@code tx} the weeks from the first to the last purchase day,
 * {@code t} the weeks from the first purchase day to the date, {@code zbar} the mean value of the repeat days
 * (the first day left out; 0 without repeats).
 */
public record PurchaseSummary(int x, double tx, double t, double zbar) {

    private static final double DAYS_PER_WEEK = 7.0;

    public PurchaseSummary {
        if (x < 0 || tx < 0 || t < tx || zbar < 0 || (x == 0 && tx != 0)) {
            throw new IllegalArgumentException("not a purchase summary: x=" + x + ", t_x=" + tx + ", T=" + t
                    + ", zbar=" + zbar);
        }
    }

    /**
     * @param purchases each purchase's business time and amount (in one currency)
     * @return the summary as of the end of {@code asOf}, or {@code null} without a purchase by then
     */
    public static PurchaseSummary of(Iterable<Map.Entry<Instant, BigDecimal>> purchases, LocalDate asOf) {
        TreeMap<LocalDate, BigDecimal> days = new TreeMap<>();
        for (Map.Entry<Instant, BigDecimal> purchase : purchases) {
            LocalDate day = LocalDate.ofInstant(purchase.getKey(), ZoneOffset.UTC);
            if (!day.isAfter(asOf)) {
                days.merge(day, purchase.getValue(), BigDecimal::add);
            }
        }
        if (days.isEmpty()) {
            return null;
        }
        LocalDate first = days.firstKey();
        int repeats = days.size() - 1;
        BigDecimal repeatSum = days.tailMap(first, false).values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        double zbar = repeats == 0 ? 0 : repeatSum.divide(BigDecimal.valueOf(repeats), 10, RoundingMode.HALF_EVEN)
                .doubleValue();
        return new PurchaseSummary(repeats, weeks(first, days.lastKey()), weeks(first, asOf), zbar);
    }

    private static double weeks(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to) / DAYS_PER_WEEK;
    }
}
