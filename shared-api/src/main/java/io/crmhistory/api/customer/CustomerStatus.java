package io.crmhistory.api.customer;

import java.util.EnumSet;
import java.util.Set;

/** Where a customer stands in the relationship lifecycle. */
public enum CustomerStatus {
    LEAD, PROSPECT, ACTIVE, INACTIVE, CHURNED;

    /** The manual transitions the business allows (SPEC section 4, "Lifecycle"). */
    public Set<CustomerStatus> allowedNext() {
        return switch (this) {
            case LEAD -> EnumSet.of(PROSPECT, ACTIVE);
            case PROSPECT -> EnumSet.of(ACTIVE);
            case ACTIVE -> EnumSet.of(INACTIVE, CHURNED);
            case INACTIVE -> EnumSet.of(ACTIVE, CHURNED);
            case CHURNED -> EnumSet.of(ACTIVE);
        };
    }

    public boolean canMoveTo(CustomerStatus next) {
        return allowedNext().contains(next);
    }

    /** A purchase by a customer in this status also records the move to ACTIVE. */
    public boolean becomesActiveOnPurchase() {
        return this != ACTIVE;
    }
}
