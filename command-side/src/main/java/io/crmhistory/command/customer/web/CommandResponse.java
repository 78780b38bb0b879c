package io.crmhistory.command.customer.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.command.CommandResult;

/**
 * What a customer call answers: the customer, its version after the call (the sequence number of its
 * last event; a reader can wait until the read side has reached it), the id the call concerned where
 * it has one, and whether the call recorded something ({@code false} for an idempotent retry).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CommandResponse(String customerId, long version, boolean recorded, String contactId, String orderId,
                       String refundId, CustomerStatus status) {

    static CommandResponse of(CommandResult result) {
        return new CommandResponse(result.customerId(), result.version(), result.recorded(), null, null, null, null);
    }

    CommandResponse withContactId(String id) {
        return new CommandResponse(customerId, version, recorded, id, orderId, refundId, status);
    }

    CommandResponse withOrderId(String id) {
        return new CommandResponse(customerId, version, recorded, contactId, id, refundId, status);
    }

    CommandResponse withRefundId(String id) {
        return new CommandResponse(customerId, version, recorded, contactId, orderId, id, status);
    }

    CommandResponse withStatus(CustomerStatus newStatus) {
        return new CommandResponse(customerId, version, recorded, contactId, orderId, refundId, newStatus);
    }
}
