package io.crmhistory.e2e;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * SPEC section 6's default rule set (version 1) written out by hand, so the product's segment
 * counts can be checked against an independent computation.
 */
final class ExpectedSegments {

    private ExpectedSegments() {
    }

    /** The thresholds of a rule set with the default segments: four each, ascending. */
    record Thresholds(int[] recencyDays, int[] frequencyOrders, BigDecimal[] monetary) {

        static final Thresholds DEFAULT = new Thresholds(new int[]{30, 90, 180, 365}, new int[]{2, 3, 5, 10},
                new BigDecimal[]{new BigDecimal("100"), new BigDecimal("500"), new BigDecimal("1000"),
                        new BigDecimal("5000")});
    }

    static Map<String, Integer> countsAt(LocalDate today, Iterable<CdnowDataset.Customer> customers) {
        return countsAt(today, customers, Thresholds.DEFAULT);
    }

    static Map<String, Integer> countsAt(LocalDate today, Iterable<CdnowDataset.Customer> customers,
                                        Thresholds thresholds) {
        Map<String, Integer> counts = new TreeMap<>();
        for (CdnowDataset.Customer customer : customers) {
            counts.merge(segmentOf(customer, today, thresholds), 1, Integer::sum);
        }
        return counts;
    }

    /** Every CDNOW customer has bought, so each is ACTIVE (the first purchase moves a LEAD to ACTIVE). */
    static String segmentOf(CdnowDataset.Customer customer, LocalDate today, Thresholds thresholds) {
        long days = ChronoUnit.DAYS.between(customer.lastPurchase(), today);
        int[] recency = thresholds.recencyDays();
        int r = days <= recency[0] ? 5 : days <= recency[1] ? 4 : days <= recency[2] ? 3 : days <= recency[3] ? 2 : 1;
        int orders = customer.orderCount();
        int[] frequency = thresholds.frequencyOrders();
        int f = orders >= frequency[3] ? 5 : orders >= frequency[2] ? 4 : orders >= frequency[1] ? 3
                : orders >= frequency[0] ? 2 : 1;
        BigDecimal net = customer.netRevenue();
        BigDecimal[] monetary = thresholds.monetary();
        int m = net.signum() <= 0 ? 0
                : net.compareTo(monetary[3]) >= 0 ? 5
                : net.compareTo(monetary[2]) >= 0 ? 4
                : net.compareTo(monetary[1]) >= 0 ? 3
                : net.compareTo(monetary[0]) >= 0 ? 2 : 1;
        if (r >= 4 && f >= 4 && m >= 4) {
            return "CHAMPIONS";
        }
        if (r >= 3 && f >= 3) {
            return "LOYAL";
        }
        if (r >= 4 && f == 1) {
            return "NEW";
        }
        if (r <= 2 && f >= 3) {
            return "AT_RISK";
        }
        if (r <= 2) {
            return "HIBERNATING";
        }
        return "NEEDS_ATTENTION";
    }
}
