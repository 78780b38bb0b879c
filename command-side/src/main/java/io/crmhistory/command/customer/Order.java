package io.crmhistory.command.customer;

import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.api.money.Money;

/** What the customer aggregate remembers of an order: the purchase as recorded and what was refunded since. */
record Order(PurchaseRecorded purchase, Money refunded) {

    static Order placed(PurchaseRecorded purchase) {
        return new Order(purchase, Money.zero(purchase.amount().currency()));
    }

    Order refund(Money amount) {
        return new Order(purchase, refunded.plus(amount));
    }

    Money refundable() {
        return purchase.amount().minus(refunded);
    }
}
