package io.crmhistory.bench.workload;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Streams a CRM workload of any size drawn from the CDNOW customers: each generated customer copies
 * the purchase pattern of a CDNOW customer picked at random (same gaps between purchases, amounts
 * jittered by up to ±10 %, dates shifted from 1997–98 to 2024–25), and gets the CRM activity CDNOW does
 * not record, at the rates below. The same seed gives the same commands, byte for byte.
 * <p>
 * Memory stays bounded whatever the size: only {@link #WINDOW} customers are open at a time. Their
 * commands are interleaved at random (as many customers' activity arrives mixed in a real feed), while
 * each customer's own commands stay in time order, registration first.
 */
public final class WorkloadGenerator implements Iterator<WorkloadCommand> {

    /** Customers whose commands are interleaved at any one time. */
    static final int WINDOW = 32;
    /** Where CDNOW's first purchase day (1997-01-01) lands: the shifted history ends before the benchmark clock (2026-01-01). */
    static final LocalDate SHIFTED_START = LocalDate.of(2024, 4, 1);
    /** Each customer's dates move by a further 0..89 days, spreading the cohort as CDNOW's Q1 1997 cohort was spread. */
    static final int SHIFT_SPREAD_DAYS = 90;
    /** Nothing is generated after this instant: the clock the sides run with. */
    static final Instant CLOCK = Instant.parse("2026-01-01T00:00:00Z");
    /** Contacts per customer: Poisson with mean 1.5 + 1.2 per purchase (service mail, calls and chats follow orders). */
    static final double CONTACTS_BASE = 1.5;
    static final double CONTACTS_PER_PURCHASE = 1.2;
    /** Share of paid orders refunded; of those, the share refunded in full (else half). */
    static final double REFUND_RATE = 0.04;
    static final double FULL_REFUND_SHARE = 0.7;
    /** Share of customers marked INACTIVE 90–179 days after their last purchase; of those, the share later CHURNED. */
    static final double INACTIVE_RATE = 0.20;
    static final double CHURN_AFTER_INACTIVE_RATE = 0.30;
    /** Share of customers who change their profile (a new phone number) once. */
    static final double PROFILE_UPDATE_RATE = 0.08;
    /** Share of customers who give an email address when registering. */
    static final double EMAIL_RATE = 0.85;

    private static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "CA", "NL"};
    private static final int[] COUNTRY_WEIGHTS = {55, 10, 10, 10, 8, 7};
    private static final String[] ACQUISITION = {"web", "store", "referral", "partner"};
    private static final int[] ACQUISITION_WEIGHTS = {60, 20, 12, 8};
    private static final String[] CHANNELS = {"EMAIL", "PHONE", "CHAT", "WEB", "SMS", "MEETING", "SOCIAL", "OTHER"};
    private static final int[] CHANNEL_WEIGHTS = {40, 20, 15, 10, 6, 4, 4, 1};
    private static final String[] SUBJECTS = {"order question", "delivery", "newsletter", "recommendation",
            "complaint", "payment", "account"};
    private static final String[] OUTCOMES = {"resolved", "follow-up", "no answer", "sale"};
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final CdnowPatterns patterns;
    private final long seed;
    private final String idPrefix;
    private final long customers;
    private final SplittableRandom interleaving;
    private final List<Iterator<WorkloadCommand>> open = new ArrayList<>(WINDOW);
    private long nextCustomer;
    private final WorkloadStats stats = new WorkloadStats();

    /**
     * @param idPrefix starts every customer id, so several workloads can go into one store without clashing
     */
    public WorkloadGenerator(CdnowPatterns patterns, long seed, String idPrefix, long customers) {
        this.patterns = patterns;
        this.seed = seed;
        this.idPrefix = idPrefix;
        this.customers = customers;
        this.interleaving = new SplittableRandom(seed);
        refill();
    }

    public static String customerId(String idPrefix, long index) {
        return idPrefix + "-" + index;
    }

    /** What has been generated so far, by type. */
    public WorkloadStats stats() {
        return stats;
    }

    @Override
    public boolean hasNext() {
        return !open.isEmpty();
    }

    @Override
    public WorkloadCommand next() {
        if (open.isEmpty()) {
            throw new NoSuchElementException();
        }
        int pick = interleaving.nextInt(open.size());
        Iterator<WorkloadCommand> customer = open.get(pick);
        WorkloadCommand command = customer.next();
        if (!customer.hasNext()) {
            open.set(pick, open.get(open.size() - 1));
            open.remove(open.size() - 1);
            refill();
        }
        stats.count(command);
        return command;
    }

    private void refill() {
        while (open.size() < WINDOW && nextCustomer < customers) {
            open.add(customerTimeline(nextCustomer++).iterator());
        }
    }

    /** All commands of one customer in time order; its own random stream, so the interleaving cannot change it. */
    List<WorkloadCommand> customerTimeline(long index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        String id = customerId(idPrefix, index);
        int template = random.nextInt(patterns.customers());
        long shiftDays = SHIFTED_START.toEpochDay() - LocalDate.of(1997, 1, 1).toEpochDay()
                + random.nextInt(SHIFT_SPREAD_DAYS);
        LocalDate firstDay = patterns.firstPurchase(template).plusDays(shiftDays);

        List<Timed> timeline = new ArrayList<>();
        int purchases = patterns.purchaseCount(template);
        List<Instant> purchaseTimes = new ArrayList<>(purchases);
        for (int k = 0; k < purchases; k++) {
            Instant at = atRandomSecond(firstDay.plusDays(patterns.dayOffset(template, k)), random);
            purchaseTimes.add(at);
            long cents = jitter(patterns.amountCents(template, k), random);
            String orderId = id + "-o" + k;
            ObjectNode body = JSON.objectNode();
            body.put("orderId", orderId);
            body.put("occurredAt", at.toString());
            body.set("amount", money(cents));
            timeline.add(new Timed(at, command("RecordPurchase", id, "POST", "/api/customers/" + id + "/purchases", body)));
            if (cents > 0 && random.nextDouble() < REFUND_RATE) {
                long refund = random.nextDouble() < FULL_REFUND_SHARE ? cents : Math.max(1, cents / 2);
                Instant refundAt = before(at.plus(1 + random.nextInt(30), ChronoUnit.DAYS));
                ObjectNode refundBody = JSON.objectNode();
                refundBody.put("refundId", orderId + "-r");
                refundBody.set("amount", money(refund));
                refundBody.put("occurredAt", refundAt.toString());
                refundBody.put("reason", "returned");
                // The path names the order over HTTP; an import line names it in the body.
                timeline.add(new Timed(refundAt, new WorkloadCommand("RecordRefund", id, orderId, "POST",
                        "/api/customers/" + id + "/purchases/" + orderId + "/refunds", refundBody)));
            }
        }
        Instant firstPurchase = purchaseTimes.get(0);
        Instant lastPurchase = purchaseTimes.get(purchases - 1);
        Instant registeredAt = firstPurchase.minus(1 + random.nextInt(30 * 24 * 60), ChronoUnit.MINUTES);
        Instant activityEnd = before(lastPurchase.plus(60, ChronoUnit.DAYS));

        int contacts = poisson(CONTACTS_BASE + CONTACTS_PER_PURCHASE * purchases, random);
        for (int k = 0; k < contacts; k++) {
            Instant at = between(registeredAt, activityEnd, random);
            ObjectNode body = JSON.objectNode();
            body.put("contactId", id + "-c" + k);
            body.put("channel", pick(CHANNELS, CHANNEL_WEIGHTS, random));
            body.put("direction", random.nextDouble() < 0.55 ? "INBOUND" : "OUTBOUND");
            body.put("occurredAt", at.toString());
            body.put("agent", "agent-" + random.nextInt(200));
            body.put("subject", SUBJECTS[random.nextInt(SUBJECTS.length)]);
            body.put("outcome", OUTCOMES[random.nextInt(OUTCOMES.length)]);
            timeline.add(new Timed(at, command("RecordContact", id, "POST", "/api/customers/" + id + "/contacts", body)));
        }
        if (random.nextDouble() < PROFILE_UPDATE_RATE) {
            Instant at = between(registeredAt, activityEnd, random);
            ObjectNode body = JSON.objectNode();
            body.put("phone", "+1555" + String.format("%07d", random.nextInt(10_000_000)));
            timeline.add(new Timed(at, command("UpdateProfile", id, "PATCH", "/api/customers/" + id, body)));
        }
        if (random.nextDouble() < INACTIVE_RATE) {
            Instant inactiveAt = lastPurchase.plus(90 + random.nextInt(90), ChronoUnit.DAYS);
            if (inactiveAt.isBefore(CLOCK)) {
                timeline.add(new Timed(inactiveAt, statusChange(id, "INACTIVE", "no purchase for 90 days", inactiveAt)));
                Instant churnedAt = inactiveAt.plus(90 + random.nextInt(90), ChronoUnit.DAYS);
                if (random.nextDouble() < CHURN_AFTER_INACTIVE_RATE && churnedAt.isBefore(CLOCK)) {
                    timeline.add(new Timed(churnedAt, statusChange(id, "CHURNED", "no reaction to win-back", churnedAt)));
                }
            }
        }
        // A stable sort: same-instant commands keep the order they were made in (a refund after its order).
        timeline.sort(Comparator.comparing(Timed::at));

        List<WorkloadCommand> commands = new ArrayList<>(timeline.size() + 1);
        commands.add(registration(id, registeredAt, random));
        timeline.forEach(t -> commands.add(t.command()));
        return commands;
    }

    private WorkloadCommand registration(String id, Instant registeredAt, SplittableRandom random) {
        ObjectNode body = JSON.objectNode();
        body.put("customerId", id);
        body.put("name", "Customer " + id);
        if (random.nextDouble() < EMAIL_RATE) {
            body.put("email", id + "@customers.example");
        }
        body.put("country", pick(COUNTRIES, COUNTRY_WEIGHTS, random));
        body.put("acquisitionChannel", pick(ACQUISITION, ACQUISITION_WEIGHTS, random));
        body.put("registeredAt", registeredAt.toString());
        return command("RegisterCustomer", id, "POST", "/api/customers", body);
    }

    private static WorkloadCommand statusChange(String id, String status, String reason, Instant at) {
        ObjectNode body = JSON.objectNode();
        body.put("status", status);
        body.put("reason", reason);
        body.put("effectiveAt", at.toString());
        return command("ChangeStatus", id, "POST", "/api/customers/" + id + "/status", body);
    }

    private static WorkloadCommand command(String type, String id, String method, String path, ObjectNode body) {
        return new WorkloadCommand(type, id, null, method, path, body);
    }

    /** ±10 %, to the cent; free orders stay free. */
    private static long jitter(long cents, SplittableRandom random) {
        if (cents == 0) {
            return 0;
        }
        return Math.max(1, Math.round(cents * (0.9 + 0.2 * random.nextDouble())));
    }

    private static ObjectNode money(long cents) {
        ObjectNode money = JSON.objectNode();
        money.put("value", BigDecimal.valueOf(cents, 2).toPlainString());
        money.put("currency", "USD");
        return money;
    }

    private static Instant atRandomSecond(LocalDate day, SplittableRandom random) {
        return before(day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextInt(86_400)));
    }

    private static Instant before(Instant at) {
        return at.isBefore(CLOCK) ? at : CLOCK.minusSeconds(1);
    }

    private static Instant between(Instant from, Instant to, SplittableRandom random) {
        long span = Math.max(1, to.getEpochSecond() - from.getEpochSecond());
        return from.plusSeconds(random.nextLong(span));
    }

    private static String pick(String[] values, int[] weights, SplittableRandom random) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        throw new IllegalStateException("weights do not cover the draw");
    }

    /** Knuth's method: exact, and fast for the small means used here. */
    static int poisson(double mean, SplittableRandom random) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            count++;
            product *= random.nextDouble();
        }
        return count;
    }

    private record Timed(Instant at, WorkloadCommand command) {
    }
}
