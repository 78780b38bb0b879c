package io.crmhistory.query.audit;

import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.api.customer.event.CustomerProfileUpdated;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.CustomerStatusChanged;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.api.customer.event.RefundRecorded;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.query.web.Parameters;
import org.axonframework.eventhandling.DomainEventMessage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which of a customer's events an export shows: business time in {@code [from, to)} (as the history's
 * filter) and a set of event types by simple name; absent parts do not filter.
 */
record EventFilter(Instant from, Instant to, Set<String> types) {

    static final List<String> EVENT_TYPES = Stream.of(CustomerRegistered.class, CustomerProfileUpdated.class,
                    ContactRecorded.class, PurchaseRecorded.class, RefundRecorded.class, CustomerStatusChanged.class,
                    CustomerPersonalDataErased.class)
            .map(Class::getSimpleName).toList();

    static EventFilter parse(String from, String to, String types) {
        Instant fromInstant = Parameters.instant("from", from);
        Instant toInstant = Parameters.instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw new ClientInputException("to", "must be after from");
        }
        Set<String> typeNames = new LinkedHashSet<>();
        if (types != null) {
            for (String type : types.split(",")) {
                if (type.isBlank()) {
                    continue;
                }
                String name = type.trim();
                if (!EVENT_TYPES.contains(name)) {
                    throw new ClientInputException("types", "'" + name + "' is not one of " + EVENT_TYPES);
                }
                typeNames.add(name);
            }
        }
        return new EventFilter(fromInstant, toInstant, Set.copyOf(typeNames));
    }

    boolean test(DomainEventMessage<?> message) {
        if (!types.isEmpty() && !types.contains(message.getPayloadType().getSimpleName())) {
            return false;
        }
        if (from == null && to == null) {
            return true;
        }
        Instant occurredAt = occurredAt(message.getPayload());
        return occurredAt != null && (from == null || !occurredAt.isBefore(from))
                && (to == null || occurredAt.isBefore(to));
    }

    static Instant occurredAt(Object payload) {
        if (payload instanceof io.crmhistory.api.customer.event.CustomerEvent event) {
            OffsetDateTime at = event.occurredAt();
            return at == null ? null : at.toInstant();
        }
        return null;
    }
}
