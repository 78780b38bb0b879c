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

    static Map<String, Integer> countsAt(LocalDate today, Iterable<CdnowDataset.Customer> customers) {
        Map<String, Integer> counts = new TreeMap<>();
        for (CdnowDataset.Customer customer : customers) {
            counts.merge(segmentOf(customer, today), 1, Integer::sum);
        }
        return counts;
    }

    /** Every CDNOW customer has bought, so each is ACTIVE (the first purchase moves a LEAD to ACTIVE). */
    static String segmentOf(CdnowDataset.Customer customer, LocalDate today) {
        long days = ChronoUnit.DAYS.between(customer.lastPurchase(), today);
        int r = days <= 30 ? 5 : days <= 90 ? 4 : days <= 180 ? 3 : days <= 365 ? 2 : 1;
        int orders = customer.orderCount();
        int f = orders >= 10 ? 5 : orders >= 5 ? 4 : orders >= 3 ? 3 : orders >= 2 ? 2 : 1;
        BigDecimal net = customer.netRevenue();
        int m = net.signum() <= 0 ? 0
                : net.compareTo(new BigDecimal("5000")) >= 0 ? 5
                : net.compareTo(new BigDecimal("1000")) >= 0 ? 4
                : net.compareTo(new BigDecimal("500")) >= 0 ? 3
                : net.compareTo(new BigDecimal("100")) >= 0 ? 2 : 1;
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
