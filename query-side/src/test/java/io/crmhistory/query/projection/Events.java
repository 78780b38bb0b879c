package io.crmhistory.query.projection;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.api.customer.event.CustomerProfileUpdated;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.CustomerStatusChanged;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.api.customer.event.RefundRecorded;
import io.crmhistory.api.money.Money;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A customer's history written as a test reads it: each call appends the next event with its sequence. */
public final class Events {

    private final String customerId;
    private final List<EventEnvelope> envelopes = new ArrayList<>();

    private Events(String customerId) {
        this.customerId = customerId;
    }

    public static Events of(String customerId) {
        return new Events(customerId);
    }

    public static OffsetDateTime at(String instant) {
        return OffsetDateTime.ofInstant(Instant.parse(instant), ZoneOffset.UTC);
    }

    public Events registered(String name, String email, String when) {
        return add(new CustomerRegistered(customerId, name, email, null, "DE", "web", at(when)));
    }

    public Events profileUpdated(String name, String email, String when) {
        return add(new CustomerProfileUpdated(customerId, name, email, null, null, at(when)));
    }

    public Events purchase(String orderId, String amount, String currency, String when) {
        return add(new PurchaseRecorded(customerId, orderId, Money.of(amount, currency), List.of(), ContactChannel.WEB,
                at(when)));
    }

    public Events refund(String orderId, String refundId, String amount, String currency, String when) {
        return add(new RefundRecorded(customerId, orderId, refundId, Money.of(amount, currency), "damaged", at(when)));
    }

    public Events contact(String contactId, ContactChannel channel, String when) {
        return add(new ContactRecorded(customerId, contactId, channel, ContactDirection.INBOUND, "agent", "subject",
                null, null, at(when)));
    }

    public Events status(CustomerStatus from, CustomerStatus to, String when) {
        return add(new CustomerStatusChanged(customerId, from, to, "because", null, at(when)));
    }

    public Events add(CustomerEvent event) {
        long sequence = envelopes.size();
        envelopes.add(new EventEnvelope("event-" + customerId + "-" + sequence, sequence,
                event.occurredAt().toInstant().plusSeconds(1), event));
        return this;
    }

    public List<EventEnvelope> envelopes() {
        return List.copyOf(envelopes);
    }

    public EventEnvelope last() {
        return envelopes.get(envelopes.size() - 1);
    }
}
