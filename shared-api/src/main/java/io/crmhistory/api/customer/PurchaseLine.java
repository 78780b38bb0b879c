package io.crmhistory.api.customer;

import io.crmhistory.api.money.Money;

/** One line of an order: {@code quantity} units of {@code sku} at {@code unitPrice} each. */
public record PurchaseLine(String sku, long quantity, Money unitPrice) {

    public Money total() {
        return unitPrice.times(quantity);
    }
}
