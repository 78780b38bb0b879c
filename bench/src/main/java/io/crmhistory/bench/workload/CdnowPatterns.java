package io.crmhistory.bench.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The purchase pattern of every customer in the CDNOW master log ({@code customer_id,date,number_of_cds,
 * dollar_value}): for each customer the days after their first purchase on which they bought, and what
 * they paid, in cents. Held in flat arrays (69,659 rows), so the generator can draw customers from it
 * millions of times without allocating.
 */
public final class CdnowPatterns {

    private final LocalDate[] firstPurchase;
    private final int[] start;
    private final int[] dayOffsets;
    private final long[] amountCents;

    private CdnowPatterns(LocalDate[] firstPurchase, int[] start, int[] dayOffsets, long[] amountCents) {
        this.firstPurchase = firstPurchase;
        this.start = start;
        this.dayOffsets = dayOffsets;
        this.amountCents = amountCents;
    }

    public static CdnowPatterns load(Path masterCsv) {
        Map<String, List<String[]>> byCustomer = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(masterCsv)) {
            String header = reader.readLine();
            if (header == null || !header.startsWith("customer_id,date")) {
                throw new IllegalArgumentException(masterCsv + " is not the CDNOW master log (header: " + header + ")");
            }
            String line;
            while ((line = reader.readLine()) != null) {
                String[] cells = line.split(",");
                byCustomer.computeIfAbsent(cells[0], id -> new ArrayList<>()).add(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int customers = byCustomer.size();
        int rows = byCustomer.values().stream().mapToInt(List::size).sum();
        LocalDate[] first = new LocalDate[customers];
        int[] start = new int[customers + 1];
        int[] offsets = new int[rows];
        long[] cents = new long[rows];
        int customer = 0;
        int row = 0;
        for (List<String[]> purchases : byCustomer.values()) {
            purchases.sort((a, b) -> a[1].compareTo(b[1]));
            LocalDate firstDay = LocalDate.parse(purchases.get(0)[1]);
            first[customer] = firstDay;
            start[customer] = row;
            for (String[] cells : purchases) {
                offsets[row] = (int) (LocalDate.parse(cells[1]).toEpochDay() - firstDay.toEpochDay());
                cents[row] = new BigDecimal(cells[3]).movePointRight(2).longValueExact();
                row++;
            }
            customer++;
        }
        start[customers] = row;
        return new CdnowPatterns(first, start, offsets, cents);
    }

    public int customers() {
        return firstPurchase.length;
    }

    public int purchases() {
        return dayOffsets.length;
    }

    LocalDate firstPurchase(int customer) {
        return firstPurchase[customer];
    }

    int purchaseCount(int customer) {
        return start[customer + 1] - start[customer];
    }

    /** Days from the customer's first purchase to their {@code k}-th (0 for the first). */
    int dayOffset(int customer, int k) {
        return dayOffsets[start[customer] + k];
    }

    long amountCents(int customer, int k) {
        return amountCents[start[customer] + k];
    }

    public long totalCents() {
        long total = 0;
        for (long c : amountCents) {
            total += c;
        }
        return total;
    }
}
