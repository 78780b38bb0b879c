package io.crmhistory.command.customer.web;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.PurchaseLine;
import io.crmhistory.api.money.Money;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.OffsetDateTime;
import java.util.List;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

/**
 * The JSON bodies of the customer calls (SPEC section 4); ids in the path are not repeated here. The fields marked
 * required are the ones the validator refuses to miss, so the OpenAPI description says what a request needs.
 */
final class CustomerRequests {

    private CustomerRequests() {
    }

    record Register(String customerId,
                    @Schema(requiredMode = REQUIRED) String name,
                    String email, String phone, String country, String acquisitionChannel, OffsetDateTime registeredAt) {
    }

    record UpdateProfile(String name, String email, String phone, String country) {
    }

    record Contact(String contactId,
                   @Schema(requiredMode = REQUIRED) ContactChannel channel,
                   @Schema(requiredMode = REQUIRED) ContactDirection direction,
                   @Schema(requiredMode = REQUIRED) OffsetDateTime occurredAt,
                   String agent, String subject, String notes, String outcome) {
    }

    record Purchase(@Schema(requiredMode = REQUIRED) String orderId,
                    @Schema(requiredMode = REQUIRED) OffsetDateTime occurredAt,
                    @Schema(requiredMode = REQUIRED) Money amount,
                    List<PurchaseLine> lines, ContactChannel channel) {
    }

    record Refund(@Schema(requiredMode = REQUIRED) String refundId,
                  @Schema(requiredMode = REQUIRED) Money amount,
                  @Schema(requiredMode = REQUIRED) OffsetDateTime occurredAt,
                  String reason) {
    }

    /** Why the personal data is erased (e.g. the ticket of the request); kept in the clear, so no personal data. */
    record ErasePersonalData(@Schema(requiredMode = REQUIRED) String reason) {
    }

    record ChangeStatus(@Schema(requiredMode = REQUIRED) CustomerStatus status,
                        @Schema(requiredMode = REQUIRED) String reason,
                        OffsetDateTime effectiveAt) {
    }
}
