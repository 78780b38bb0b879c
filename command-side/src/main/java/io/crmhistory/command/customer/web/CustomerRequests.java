package io.crmhistory.command.customer.web;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.PurchaseLine;
import io.crmhistory.api.money.Money;

import java.time.OffsetDateTime;
import java.util.List;

/** The JSON bodies of the customer calls (SPEC section 4); ids in the path are not repeated here. */
final class CustomerRequests {

    private CustomerRequests() {
    }

    record Register(String customerId, String name, String email, String phone, String country,
                    String acquisitionChannel, OffsetDateTime registeredAt) {
    }

    record UpdateProfile(String name, String email, String phone, String country) {
    }

    record Contact(String contactId, ContactChannel channel, ContactDirection direction, OffsetDateTime occurredAt,
                   String agent, String subject, String notes, String outcome) {
    }

    record Purchase(String orderId, OffsetDateTime occurredAt, Money amount, List<PurchaseLine> lines,
                    ContactChannel channel) {
    }

    record Refund(String refundId, Money amount, OffsetDateTime occurredAt, String reason) {
    }

    /** Why the personal data is erased (e.g. the ticket of the request); kept in the clear, so no personal data. */
    record ErasePersonalData(String reason) {
    }

    record ChangeStatus(CustomerStatus status, String reason, OffsetDateTime effectiveAt) {
    }
}
