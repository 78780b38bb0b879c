package io.crmhistory.query.history;

import io.crmhistory.api.customer.PurchaseLine;
import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.api.customer.event.CustomerProfileUpdated;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.CustomerStatusChanged;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.api.customer.event.RefundRecorded;
import io.crmhistory.api.customer.query.HistoryItemType;
import io.crmhistory.api.money.Money;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.segment.SegmentChange;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The meaning of each event for the customer's timeline, as pure functions: {@link #apply} keeps the
 * running net revenue, {@link #entry} turns the event into its timeline item (a purchase or refund
 * carries the net revenue after it).
 */
public final class HistoryLogic {

    private HistoryLogic() {
    }

    public static HistoryState apply(HistoryState state, EventEnvelope envelope) {
        HistoryState current = state != null ? state : HistoryState.empty(envelope.customerId());
        Map<String, BigDecimal> net = current.netPerCurrency();
        if (envelope.event() instanceof PurchaseRecorded purchase) {
            net = plus(net, purchase.amount().currency(), purchase.amount().value());
        } else if (envelope.event() instanceof RefundRecorded refund) {
            net = plus(net, refund.amount().currency(), refund.amount().value().negate());
        }
        return new HistoryState(current.id(), envelope.sequence(), net);
    }

    /** The timeline item of {@code envelope}, given the state {@code after} it was applied. */
    public static HistoryEntry entry(HistoryState after, EventEnvelope envelope, FxRates fx) {
        Map<String, Object> details = new LinkedHashMap<>();
        HistoryItemType type;
        String channel = null;
        if (envelope.event() instanceof CustomerRegistered registered) {
            type = HistoryItemType.REGISTERED;
            put(details, "name", registered.name());
            put(details, "email", registered.email());
            put(details, "phone", registered.phone());
            put(details, "country", registered.country());
            put(details, "acquisitionChannel", registered.acquisitionChannel());
        } else if (envelope.event() instanceof CustomerProfileUpdated updated) {
            type = HistoryItemType.PROFILE_UPDATED;
            put(details, "name", updated.name());
            put(details, "email", updated.email());
            put(details, "phone", updated.phone());
            put(details, "country", updated.country());
        } else if (envelope.event() instanceof ContactRecorded contact) {
            type = HistoryItemType.CONTACT;
            channel = contact.channel() == null ? null : contact.channel().name();
            put(details, "contactId", contact.contactId());
            put(details, "channel", channel);
            put(details, "direction", contact.direction() == null ? null : contact.direction().name());
            put(details, "agent", contact.agent());
            put(details, "subject", contact.subject());
            put(details, "notes", contact.notes());
            put(details, "outcome", contact.outcome());
        } else if (envelope.event() instanceof PurchaseRecorded purchase) {
            type = HistoryItemType.PURCHASE;
            channel = purchase.channel() == null ? null : purchase.channel().name();
            put(details, "orderId", purchase.orderId());
            put(details, "amount", money(purchase.amount()));
            if (!purchase.lines().isEmpty()) {
                details.put("lines", purchase.lines().stream().map(HistoryLogic::line).toList());
            }
            put(details, "channel", channel);
            runningNet(details, after, fx);
        } else if (envelope.event() instanceof RefundRecorded refund) {
            type = HistoryItemType.REFUND;
            put(details, "orderId", refund.orderId());
            put(details, "refundId", refund.refundId());
            put(details, "amount", money(refund.amount()));
            put(details, "reason", refund.reason());
            runningNet(details, after, fx);
        } else if (envelope.event() instanceof CustomerStatusChanged changed) {
            type = HistoryItemType.STATUS_CHANGED;
            put(details, "from", changed.from() == null ? null : changed.from().name());
            put(details, "to", changed.to().name());
            put(details, "reason", changed.reason());
            put(details, "triggeredByOrderId", changed.triggeredByOrderId());
        } else if (envelope.event() instanceof CustomerPersonalDataErased erased) {
            // The erasure itself stays in the timeline: who asked is in the audit trail, why is here.
            type = HistoryItemType.PERSONAL_DATA_ERASED;
            put(details, "reason", erased.reason());
        } else {
            throw new IllegalArgumentException("no history item for " + envelope.event().getClass().getName());
        }
        return new HistoryEntry(SegmentChange.timelineKey(envelope.customerId(), envelope.sequence()) + "/e",
                envelope.customerId(), envelope.sequence(), envelope.eventId(), type.name(), envelope.occurredAt(),
                envelope.recordedAt(), channel, details);
    }

    /** The net revenue after the item in the base currency, and per currency when some cannot be converted. */
    private static void runningNet(Map<String, Object> details, HistoryState after, FxRates fx) {
        details.put("runningNetRevenue", money(fx.sumInBase(after.netPerCurrency()).toPlainString(),
                fx.baseCurrency()));
        if (!fx.unconverted(after.netPerCurrency().keySet()).isEmpty()) {
            Map<String, String> perCurrency = new LinkedHashMap<>();
            after.netPerCurrency().forEach((currency, amount) -> perCurrency.put(currency, amount.toPlainString()));
            details.put("runningNetRevenuePerCurrency", perCurrency);
            details.put("unconvertedCurrencies", fx.unconverted(after.netPerCurrency().keySet()));
        }
    }

    private static Map<String, String> money(Money money) {
        return money(money.value().toPlainString(), money.currency());
    }

    /** Value, then currency, in every item and every JVM (Map.of's order is randomised per JVM). */
    private static Map<String, String> money(String value, String currency) {
        Map<String, String> money = new LinkedHashMap<>(4);
        money.put("value", value);
        money.put("currency", currency);
        return money;
    }

    private static Map<String, Object> line(PurchaseLine line) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("sku", line.sku());
        map.put("quantity", line.quantity());
        map.put("unitPrice", money(line.unitPrice()));
        return map;
    }

    private static void put(Map<String, Object> details, String key, Object value) {
        if (value != null) {
            details.put(key, value);
        }
    }

    private static Map<String, BigDecimal> plus(Map<String, BigDecimal> totals, String currency, BigDecimal amount) {
        Map<String, BigDecimal> copy = new HashMap<>(totals);
        copy.merge(currency, amount, BigDecimal::add);
        return copy;
    }
}
