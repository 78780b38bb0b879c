package io.crmhistory.command.customer;

/** A refund names an order the customer never placed (404). */
public class UnknownOrderException extends RuntimeException {

    private final String orderId;

    public UnknownOrderException(String customerId, String orderId) {
        super("customer '" + customerId + "' has no order '" + orderId + "'");
        this.orderId = orderId;
    }

    public String orderId() {
        return orderId;
    }
}
