package io.crmhistory.query.audit;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Plausible customer histories from a seed: registration, then contacts, purchases in converted and
 * unconverted currencies, refunds within what was paid, allowed status changes and profile updates,
 * with business times mostly moving forward and sometimes back (imported history).
 */
final class RandomHistories {

    private static final List<String> CURRENCIES = List.of("EUR", "EUR", "EUR", "USD", "GBP");

    private RandomHistories() {
    }

    static List<EventEnvelope> of(String id, Random random) {
        Instant at = Instant.parse("2023-01-01T00:00:00Z").plus(Duration.ofDays(random.nextInt(900)));
        Events events = Events.of(id).registered("Customer " + id, id + "@example.com", at.toString());
        CustomerStatus status = CustomerStatus.LEAD;
        Map<String, BigDecimal> refundable = new HashMap<>();
        Map<String, String> currencyOf = new HashMap<>();
        List<String> orders = new ArrayList<>();
        int length = 3 + random.nextInt(20);
        for (int i = 0; i < length; i++) {
            at = at.plus(Duration.ofHours(1 + random.nextInt(24 * 60)));
            if (at.isAfter(Instant.parse("2025-12-31T00:00:00Z"))) {
                at = Instant.parse("2025-12-31T00:00:00Z").minus(Duration.ofDays(random.nextInt(400)));
            }
            Instant when = random.nextInt(8) == 0 ? at.minus(Duration.ofDays(random.nextInt(300))) : at;
            int kind = random.nextInt(10);
            if (kind < 4) {
                String orderId = "o-" + i;
                String currency = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
                BigDecimal amount = BigDecimal.valueOf(random.nextInt(300_000), 2);
                events.purchase(orderId, amount.toPlainString(), currency, when.toString());
                orders.add(orderId);
                refundable.put(orderId, amount);
                currencyOf.put(orderId, currency);
                if (status != CustomerStatus.ACTIVE) {
                    events.status(status, CustomerStatus.ACTIVE, when.toString());
                    status = CustomerStatus.ACTIVE;
                }
            } else if (kind < 6) {
                events.contact("c-" + i, ContactChannel.values()[random.nextInt(ContactChannel.values().length)],
                        when.toString());
            } else if (kind < 8 && !orders.isEmpty()) {
                String orderId = orders.get(random.nextInt(orders.size()));
                BigDecimal left = refundable.get(orderId);
                if (left.compareTo(new BigDecimal("0.01")) >= 0) {
                    BigDecimal amount = left.multiply(BigDecimal.valueOf(1 + random.nextInt(100)))
                            .divide(BigDecimal.valueOf(100), 2, java.math.RoundingMode.DOWN)
                            .max(new BigDecimal("0.01"));
                    events.refund(orderId, "r-" + i, amount.toPlainString(), currencyOf.get(orderId), when.toString());
                    refundable.put(orderId, left.subtract(amount));
                }
            } else if (kind == 8) {
                List<CustomerStatus> next = status.allowedNext().stream().sorted().toList();
                CustomerStatus to = next.get(random.nextInt(next.size()));
                events.status(status, to, when.toString());
                status = to;
            } else {
                events.profileUpdated("Renamed " + i, random.nextBoolean() ? null : id + "+" + i + "@example.com",
                        when.toString());
            }
        }
        return events.envelopes();
    }
}
