package io.crmhistory.e2e;

import java.io.BufferedReader;
import java.io.BufferedWriter;
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
 * The CDNOW purchase log ({@code ../shared/datasets/cdnow}) turned into the product's NDJSON import
 * format, plus what each customer's figures must be, computed here independently of the product.
 */
final class CdnowDataset {

    record Purchase(String orderId, LocalDate date, BigDecimal amount) {
    }

    /** Expected figures of one customer, straight from the file. */
    record Customer(String customerId, List<Purchase> purchases) {

        BigDecimal netRevenue() {
            return purchases.stream().map(Purchase::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        int orderCount() {
            return purchases.size();
        }

        LocalDate firstPurchase() {
            return purchases.stream().map(Purchase::date).min(LocalDate::compareTo).orElseThrow();
        }

        LocalDate lastPurchase() {
            return purchases.stream().map(Purchase::date).max(LocalDate::compareTo).orElseThrow();
        }
    }

    private final Map<String, Customer> customers;

    private CdnowDataset(Map<String, Customer> customers) {
        this.customers = customers;
    }

    static Path datasets() {
        return Path.of(System.getProperty("crm.datasets", "../../shared/datasets")).toAbsolutePath().normalize();
    }

    /**
     * The log named by the system property {@code crm.e2e.cdnow}: {@code sample} (default: the
     * 1-in-10 sample, 2,357 customers, 6,919 purchases, so the suite stays quick) or {@code master}
     * (23,570 customers, 69,659 purchases).
     */
    static CdnowDataset chosen() {
        return "master".equals(System.getProperty("crm.e2e.cdnow", "sample")) ? master() : sample();
    }

    /** {@code cdnow_master.csv}: {@code customer_id,date,number_of_cds,dollar_value}. */
    static CdnowDataset master() {
        return read("cdnow_master.csv", 0);
    }

    /** {@code cdnow_sample.csv}: {@code master_customer_id,sample_customer_id,date,number_of_cds,dollar_value}. */
    static CdnowDataset sample() {
        return read("cdnow_sample.csv", 1);
    }

    private static CdnowDataset read(String file, int firstColumn) {
        Map<String, Customer> customers = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(datasets().resolve("cdnow").resolve(file))) {
            reader.readLine();
            String line;
            int row = 0;
            while ((line = reader.readLine()) != null) {
                row++;
                String[] cells = line.split(",");
                String customerId = "cdnow-" + cells[firstColumn];
                Purchase purchase = new Purchase("cdnow-order-" + row, LocalDate.parse(cells[firstColumn + 1]),
                        new BigDecimal(cells[firstColumn + 3]).setScale(2));
                customers.computeIfAbsent(customerId, id -> new Customer(id, new ArrayList<>()))
                        .purchases().add(purchase);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CdnowDataset(customers);
    }

    Map<String, Customer> customers() {
        return customers;
    }

    int purchaseCount() {
        return customers.values().stream().mapToInt(Customer::orderCount).sum();
    }

    /**
     * Writes one RegisterCustomer line per customer (registered on the day of the first purchase),
     * then every purchase in date order, in US dollars.
     */
    Path writeImportFile(Path file) {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (Customer customer : customers.values()) {
                out.write("{\"type\":\"RegisterCustomer\",\"customerId\":\"" + customer.customerId()
                        + "\",\"name\":\"CDNOW customer " + customer.customerId().substring(6)
                        + "\",\"acquisitionChannel\":\"cdnow\",\"registeredAt\":\""
                        + customer.firstPurchase() + "T00:00:00Z\"}\n");
            }
            List<Purchase> byDate = new ArrayList<>();
            Map<Purchase, String> owner = new LinkedHashMap<>();
            customers.values().forEach(c -> c.purchases().forEach(p -> {
                byDate.add(p);
                owner.put(p, c.customerId());
            }));
            byDate.sort((a, b) -> a.date().compareTo(b.date()));
            for (Purchase p : byDate) {
                out.write("{\"type\":\"RecordPurchase\",\"customerId\":\"" + owner.get(p)
                        + "\",\"orderId\":\"" + p.orderId() + "\",\"occurredAt\":\"" + p.date()
                        + "T00:00:00Z\",\"amount\":{\"value\":\"" + p.amount().toPlainString()
                        + "\",\"currency\":\"USD\"}}\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
