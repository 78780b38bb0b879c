package io.crmhistory.bench.baseline;

import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.command.ChangeStatus;
import io.crmhistory.api.customer.command.RecordContact;
import io.crmhistory.api.customer.command.RecordPurchase;
import io.crmhistory.api.customer.command.RecordRefund;
import io.crmhistory.api.customer.command.RegisterCustomer;
import io.crmhistory.api.customer.command.UpdateProfile;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.api.money.Money;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Load, check, mutate, save, append: the customer rules the product enforces (unknown customer,
 * taken id or email, lifecycle transitions, refunds within the order, purchases reactivating), on
 * the current-state document. No transaction spans the two writes (the embedded store has none).
 */
@Service
class BaselineCustomerService {

    private final CustomerRepository customers;
    private final AuditRepository audit;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    BaselineCustomerService(CustomerRepository customers, AuditRepository audit, ObjectMapper json) {
        this.customers = customers;
        this.audit = audit;
        this.json = json;
    }

    Answer register(RegisterCustomer command, String principal) {
        require(command.customerId(), "customerId");
        require(command.name(), "name");
        CustomerDocument customer = new CustomerDocument();
        customer.id = command.customerId();
        customer.name = command.name();
        customer.email = command.email();
        customer.phone = command.phone();
        customer.country = command.country();
        customer.acquisitionChannel = command.acquisitionChannel();
        customer.registeredAt = command.registeredAt() != null ? command.registeredAt().toInstant() : clock.instant();
        customer.status = CustomerStatus.LEAD;
        try {
            customer = customers.insert(customer);
        } catch (DuplicateKeyException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "customerId or email is registered already");
        }
        append(customer.id + "/registered", customer.id, "RegisterCustomer", principal, command);
        return new Answer(customer.id, customer.version, true);
    }

    Answer updateProfile(String customerId, UpdateProfile command, String principal) {
        CustomerDocument customer = find(customerId);
        if (command.name() != null) {
            customer.name = command.name();
        }
        if (command.email() != null) {
            customer.email = command.email();
        }
        if (command.phone() != null) {
            customer.phone = command.phone();
        }
        if (command.country() != null) {
            customer.country = command.country();
        }
        try {
            customer = customers.save(customer);
        } catch (DuplicateKeyException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "email belongs to another customer");
        }
        append(unkeyedChange(customerId), customerId, "UpdateProfile", principal, command);
        return new Answer(customerId, customer.version, true);
    }

    Answer recordContact(String customerId, RecordContact command, String principal) {
        require(command.contactId(), "contactId");
        require(command.channel(), "channel");
        require(command.direction(), "direction");
        Instant occurredAt = occurred(command.occurredAt());
        CustomerDocument customer = find(customerId);
        if (!append(customerId + "/contact/" + command.contactId(), customerId, "RecordContact", principal, command)) {
            return new Answer(customerId, customer.version, false);
        }
        customer.contactCount++;
        if (customer.lastContactAt == null || occurredAt.isAfter(customer.lastContactAt)) {
            customer.lastContactAt = occurredAt;
        }
        return new Answer(customerId, customers.save(customer).version, true);
    }

    Answer recordPurchase(String customerId, RecordPurchase command, String principal) {
        require(command.orderId(), "orderId");
        Money amount = require(command.amount(), "amount");
        if (amount.isNegative()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "amount: must be zero or positive");
        }
        Instant occurredAt = occurred(command.occurredAt());
        CustomerDocument customer = find(customerId);
        if (!append(customerId + "/order/" + command.orderId(), customerId, "RecordPurchase", principal, command)) {
            return new Answer(customerId, customer.version, false);
        }
        CustomerDocument.Order order = new CustomerDocument.Order();
        order.orderId = command.orderId();
        order.currency = amount.currency();
        order.amount = amount.value();
        customer.orders.add(order);
        customer.orderCount++;
        customer.netRevenue = customer.netRevenue.add(amount.value());
        if (customer.lastPurchaseAt == null || occurredAt.isAfter(customer.lastPurchaseAt)) {
            customer.lastPurchaseAt = occurredAt;
        }
        if (customer.status.becomesActiveOnPurchase()) {
            customer.status = CustomerStatus.ACTIVE;
        }
        return new Answer(customerId, customers.save(customer).version, true);
    }

    Answer recordRefund(String customerId, String orderId, RecordRefund command, String principal) {
        require(command.refundId(), "refundId");
        Money amount = require(command.amount(), "amount");
        if (!amount.isPositive()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "amount: must be positive");
        }
        occurred(command.occurredAt());
        CustomerDocument customer = find(customerId);
        CustomerDocument.Order order = customer.order(orderId);
        if (order == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "order " + orderId + " is unknown");
        }
        if (order.refunded.add(amount.value()).compareTo(order.amount) > 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "refunds would exceed the order");
        }
        if (!append(customerId + "/refund/" + command.refundId(), customerId, "RecordRefund", principal, command)) {
            return new Answer(customerId, customer.version, false);
        }
        order.refunded = order.refunded.add(amount.value());
        customer.refundCount++;
        customer.netRevenue = customer.netRevenue.subtract(amount.value());
        return new Answer(customerId, customers.save(customer).version, true);
    }

    Answer changeStatus(String customerId, ChangeStatus command, String principal) {
        CustomerStatus next = require(command.status(), "status");
        require(command.reason(), "reason");
        CustomerDocument customer = find(customerId);
        if (!customer.status.canMoveTo(next)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    customer.status + " cannot move to " + next + "; allowed: " + customer.status.allowedNext());
        }
        customer.status = next;
        customer = customers.save(customer);
        append(unkeyedChange(customerId), customerId, "ChangeStatus", principal, command);
        return new Answer(customerId, customer.version, true);
    }

    private CustomerDocument find(String customerId) {
        return customers.findById(customerId).orElseThrow(() ->
                new ResponseStatusException(HttpStatus.NOT_FOUND, "customer " + customerId + " is unknown"));
    }

    /**
     * The id of a change the command names no id for (a profile update, a status change): always a new row. A string,
     * like every other row's: left null, Spring Data would store an ObjectId, and the embedded store's H2 map cannot
     * compare an ObjectId key with a string one ("Can not compare", a 500 about once in 20,000 commands).
     */
    private static String unkeyedChange(String customerId) {
        return customerId + "/change/" + UUID.randomUUID();
    }

    /** False when a row with this id exists: the change was recorded before (an idempotent retry). */
    private boolean append(String id, String customerId, String type, String principal, Object command) {
        try {
            // The command as the client sent it (dates as ISO strings), not as Java types the driver cannot encode.
            Map<String, Object> body = json.convertValue(command, new TypeReference<>() { });
            audit.insert(new AuditRow(id, customerId, type, clock.instant(), principal, body));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    private Instant occurred(OffsetDateTime occurredAt) {
        Instant at = require(occurredAt, "occurredAt").toInstant();
        if (at.isAfter(clock.instant().plusSeconds(300))) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "occurredAt: more than 5 minutes in the future");
        }
        return at;
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, field + ": is required");
        }
        return value;
    }

    /** What every call answers, like the product's command response. */
    record Answer(String customerId, Long version, boolean recorded) {
    }
}
