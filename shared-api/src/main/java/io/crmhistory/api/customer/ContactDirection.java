package io.crmhistory.api.customer;

/** Who started a contact: the customer (INBOUND) or the business (OUTBOUND). */
public enum ContactDirection {
    INBOUND, OUTBOUND
}
