package io.crmhistory.query.directory;

import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.api.customer.event.CustomerProfileUpdated;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.CustomerStatusChanged;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.api.customer.event.RefundRecorded;
import io.crmhistory.api.customer.query.CustomerView;
import io.crmhistory.api.customer.query.ValueForecast;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.FxRates;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The meaning of each event for the customer's directory entry, as a pure function. Net revenue is
 * stored converted to the base currency with the rates in force when the event is projected (the list sorts by it),
 * and shown converted with the rates in force when read ({@link #view}), as the value read model does; after a rate
 * change the directory is rebuilt for the list to sort by the new figures.
 */
public final class DirectoryLogic {

    private final FxRates fx;

    public DirectoryLogic(FxRates fx) {
        this.fx = fx;
    }

    public DirectoryState apply(DirectoryState state, EventEnvelope envelope) {
        DirectoryState s = state != null ? state : DirectoryState.empty(envelope.customerId());
        String name = s.name();
        String email = s.email();
        String phone = s.phone();
        String country = s.country();
        String acquisitionChannel = s.acquisitionChannel();
        CustomerStatus status = s.status();
        Instant registeredAt = s.registeredAt();
        long orders = s.orderCount();
        Map<String, BigDecimal> net = s.netPerCurrency();
        Instant lastPurchaseAt = s.lastPurchaseAt();
        boolean erased = s.personalDataErased();
        if (envelope.event() instanceof CustomerRegistered registered) {
            name = registered.name();
            email = registered.email();
            phone = registered.phone();
            country = registered.country();
            acquisitionChannel = registered.acquisitionChannel();
            status = CustomerStatus.LEAD;
            registeredAt = envelope.occurredAt();
        } else if (envelope.event() instanceof CustomerProfileUpdated updated) {
            name = updated.name() != null ? updated.name() : name;
            email = updated.email() != null ? updated.email() : email;
            phone = updated.phone() != null ? updated.phone() : phone;
            country = updated.country() != null ? updated.country() : country;
        } else if (envelope.event() instanceof CustomerStatusChanged changed) {
            status = changed.to();
        } else if (envelope.event() instanceof PurchaseRecorded purchase) {
            orders++;
            net = plus(net, purchase.amount().currency(), purchase.amount().value());
            Instant at = envelope.occurredAt();
            lastPurchaseAt = lastPurchaseAt == null || at.isAfter(lastPurchaseAt) ? at : lastPurchaseAt;
        } else if (envelope.event() instanceof RefundRecorded refund) {
            net = plus(net, refund.amount().currency(), refund.amount().value().negate());
        } else if (envelope.event() instanceof CustomerPersonalDataErased) {
            name = null;
            email = null;
            phone = null;
            erased = true;
        }
        return new DirectoryState(s.id(), envelope.sequence(), name, email, phone, country, acquisitionChannel, status,
                registeredAt, orders, net, fx.sumInBase(net), lastPurchaseAt, key(name), key(email),
                lastPurchaseAt == null ? DirectoryState.NEVER : lastPurchaseAt, erased, s.predictedRevenue(), s.forecast(),
                s.segment());
    }

    /**
     * The customer as {@code GET /api/customers/{id}} shows them, for the live read model and the audit's as-of alike.
     * The net revenue is converted from the totals per currency as it is read, as the value view's, so a changed rate
     * shows at once; the figure stored beside them is what the list sorts by (a rate change needs a rebuild there).
     */
    public static CustomerView view(DirectoryState state, CustomerView.SegmentRef segment, ValueForecast forecast,
                                    FxRates fx) {
        return new CustomerView(state.id(), state.name(), state.email(), state.phone(), state.country(),
                state.acquisitionChannel(), state.status(), state.registeredAt(), segment,
                new CustomerView.ValueSummary(fx.baseCurrency(),
                        fx.scaled(fx.sumInBase(state.netPerCurrency())).toPlainString(),
                        state.orderCount(), state.lastPurchaseAt()),
                state.personalDataErased(), forecast, state.lastSequence());
    }

    static String key(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }

    private static Map<String, BigDecimal> plus(Map<String, BigDecimal> totals, String currency, BigDecimal amount) {
        Map<String, BigDecimal> copy = new HashMap<>(totals);
        copy.merge(currency, amount, BigDecimal::add);
        return copy;
    }
}
