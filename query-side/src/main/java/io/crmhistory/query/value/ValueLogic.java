package io.crmhistory.query.value;

import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.api.customer.event.RefundRecorded;
import io.crmhistory.api.customer.query.CustomerValueView;
import io.crmhistory.api.customer.query.ValueForecast;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.FxRates;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The meaning of each event for a customer's value (SPEC section 5, "Value"), as pure functions: the
 * live projection, rebuilds and the audit's as-of replay all fold events through {@link #apply}.
 */
public final class ValueLogic {

    /** The trailing window of {@code revenueLast12Months}. */
    static final int TRAILING_MONTHS = 12;

    private ValueLogic() {
    }

    public static ValueState apply(ValueState state, EventEnvelope envelope) {
        ValueState current = state != null ? state : ValueState.empty(envelope.customerId());
        Instant at = envelope.occurredAt();
        if (envelope.event() instanceof PurchaseRecorded purchase) {
            String currency = purchase.amount().currency();
            BigDecimal amount = purchase.amount().value();
            ValueState.Totals totals = current.perCurrency().getOrDefault(currency, ValueState.Totals.NONE);
            return new ValueState(current.id(), envelope.sequence(),
                    with(current.perCurrency(), currency, new ValueState.Totals(totals.gross().add(amount),
                            totals.refunded(), totals.orders() + 1, totals.refunds())),
                    earliest(current.firstPurchaseAt(), at), latest(current.lastPurchaseAt(), at),
                    current.contactCount(), current.lastContactAt(),
                    appended(current.movements(), new ValueState.Movement(at, currency, amount)));
        }
        if (envelope.event() instanceof RefundRecorded refund) {
            String currency = refund.amount().currency();
            BigDecimal amount = refund.amount().value();
            ValueState.Totals totals = current.perCurrency().getOrDefault(currency, ValueState.Totals.NONE);
            return new ValueState(current.id(), envelope.sequence(),
                    with(current.perCurrency(), currency, new ValueState.Totals(totals.gross(),
                            totals.refunded().add(amount), totals.orders(), totals.refunds() + 1)),
                    current.firstPurchaseAt(), current.lastPurchaseAt(),
                    current.contactCount(), current.lastContactAt(),
                    appended(current.movements(), new ValueState.Movement(at, currency, amount.negate())));
        }
        if (envelope.event() instanceof ContactRecorded) {
            return new ValueState(current.id(), envelope.sequence(), current.perCurrency(),
                    current.firstPurchaseAt(), current.lastPurchaseAt(), current.contactCount() + 1,
                    latest(current.lastContactAt(), at), current.movements());
        }
        // Registration, profile and status changes do not change the value.
        return new ValueState(current.id(), envelope.sequence(), current.perCurrency(),
                current.firstPurchaseAt(), current.lastPurchaseAt(), current.contactCount(),
                current.lastContactAt(), current.movements());
    }

    /**
     * The value as it stands at {@code now}: figures in the base currency (purchases and refunds in a
     * currency without a rate are left out of them and listed in {@code unconvertedCurrencies}),
     * {@code revenueLast12Months} over purchases and refunds whose business time falls in
     * {@code (now - 12 months, now]}. {@code averageOrderValue} divides the converted gross revenue by
     * the number of converted orders, and is {@code null} without any. Each figure converts its own
     * per-currency totals, like every other read model converts net revenue, so the segment's, the
     * directory's and this net revenue always agree (gross minus refunded may differ from it by a
     * rounding unit when a rate applies).
     */
    public static CustomerValueView view(ValueState state, FxRates fx, ValueForecast forecast, Instant now) {
        Map<String, BigDecimal> gross = new HashMap<>();
        Map<String, BigDecimal> refunded = new HashMap<>();
        Map<String, BigDecimal> net = new HashMap<>();
        Map<String, CustomerValueView.CurrencyTotals> perCurrency = new TreeMap<>();
        long orders = 0;
        long convertedOrders = 0;
        long refunds = 0;
        for (Map.Entry<String, ValueState.Totals> entry : state.perCurrency().entrySet()) {
            ValueState.Totals totals = entry.getValue();
            gross.put(entry.getKey(), totals.gross());
            refunded.put(entry.getKey(), totals.refunded());
            net.put(entry.getKey(), totals.net());
            orders += totals.orders();
            refunds += totals.refunds();
            if (fx.converts(entry.getKey())) {
                convertedOrders += totals.orders();
            }
            perCurrency.put(entry.getKey(), new CustomerValueView.CurrencyTotals(
                    totals.gross().toPlainString(), totals.refunded().toPlainString(), totals.net().toPlainString(),
                    totals.orders(), totals.refunds()));
        }
        BigDecimal grossBase = fx.sumInBase(gross);
        BigDecimal refundedBase = fx.sumInBase(refunded);
        BigDecimal average = convertedOrders == 0 ? null
                : grossBase.divide(BigDecimal.valueOf(convertedOrders), fx.minorDigits(), RoundingMode.HALF_EVEN);
        return new CustomerValueView(state.id(), fx.baseCurrency(),
                fx.sumInBase(net).toPlainString(), grossBase.toPlainString(),
                refundedBase.toPlainString(), orders, refunds, average == null ? null : average.toPlainString(),
                state.firstPurchaseAt(), state.lastPurchaseAt(),
                fx.sumInBase(netSince(state, windowStart(now), now)).toPlainString(),
                state.contactCount(), state.lastContactAt(), perCurrency,
                fx.unconverted(state.perCurrency().keySet()), forecast, now, state.lastSequence());
    }

    static Instant windowStart(Instant now) {
        return now.atZone(ZoneOffset.UTC).minusMonths(TRAILING_MONTHS).toInstant();
    }

    private static Map<String, BigDecimal> netSince(ValueState state, Instant after, Instant upTo) {
        Map<String, BigDecimal> net = new HashMap<>();
        for (ValueState.Movement movement : state.movements()) {
            if (movement.at().isAfter(after) && !movement.at().isAfter(upTo)) {
                net.merge(movement.currency(), movement.amount(), BigDecimal::add);
            }
        }
        return net;
    }

    private static Map<String, ValueState.Totals> with(Map<String, ValueState.Totals> totals, String currency,
                                                       ValueState.Totals updated) {
        Map<String, ValueState.Totals> copy = new HashMap<>(totals);
        copy.put(currency, updated);
        return copy;
    }

    private static List<ValueState.Movement> appended(List<ValueState.Movement> movements, ValueState.Movement movement) {
        List<ValueState.Movement> copy = new ArrayList<>(movements.size() + 1);
        copy.addAll(movements);
        copy.add(movement);
        return copy;
    }

    static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    static Instant latest(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
