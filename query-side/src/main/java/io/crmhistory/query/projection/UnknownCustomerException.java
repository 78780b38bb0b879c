package io.crmhistory.query.projection;

/** The read model knows no customer with this id (answered as 404). */
public class UnknownCustomerException extends RuntimeException {

    private final String customerId;

    public UnknownCustomerException(String customerId) {
        super("no customer '" + customerId + "' is known");
        this.customerId = customerId;
    }

    public String customerId() {
        return customerId;
    }
}
