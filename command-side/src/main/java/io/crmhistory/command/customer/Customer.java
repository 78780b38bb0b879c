package io.crmhistory.command.customer;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.PurchaseLine;
import io.crmhistory.api.customer.command.ChangeStatus;
import io.crmhistory.api.customer.command.CommandResult;
import io.crmhistory.api.customer.command.ErasePersonalData;
import io.crmhistory.api.customer.command.RecordContact;
import io.crmhistory.api.customer.command.RecordPurchase;
import io.crmhistory.api.customer.command.RecordRefund;
import io.crmhistory.api.customer.command.RegisterCustomer;
import io.crmhistory.api.customer.command.UpdateProfile;
import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.api.customer.event.CustomerProfileUpdated;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.CustomerStatusChanged;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.api.customer.event.RefundRecorded;
import io.crmhistory.api.messaging.MetadataKeys;
import io.crmhistory.api.money.Money;
import io.crmhistory.command.customer.email.EmailClaims;
import io.crmhistory.platform.audit.EventHashChain;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import io.crmhistory.platform.privacy.PersonalFields;
import io.crmhistory.platform.time.StoredPrecision;
import io.crmhistory.platform.web.ClientInputException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A customer, event-sourced: every rule of SPEC section 4 that depends on what was recorded before
 * (idempotent retries, the lifecycle, refund limits, email ownership) is decided here, guard clauses
 * first, then {@code apply}. Input rules that need no history run before it is loaded
 * ({@link CustomerCommandValidator}). Each handler answers a {@link CommandResult} carrying the
 * customer's version after the command (the sequence number of its last event).
 * <p>
 * Personal fields (name, email, phone, a contact's subject, notes and outcome) are encrypted with the
 * customer's data key before they go into an event ({@link PersonalDataProtector}), and the state
 * keeps them only in that form, so snapshots hold no plaintext either; comparisons reveal them on
 * demand. After {@link CustomerPersonalDataErased} the key is gone and no new personal data is
 * accepted: commands carrying some are refused (409), the others still work.
 * <p>
 * Every event carries in its metadata its link in the customer's hash chain ({@link EventHashChain}):
 * the state keeps the last hash, snapshots included.
 * <p>
 * Fields are serialized by Jackson for snapshots, hence the field visibility. The revision names the fields' shape:
 * a snapshot of another revision is passed over (Axon's {@code RevisionSnapshotFilter}, configured from it) and the
 * customer sourced from its events instead (revision 2 keeps {@code firstAnswers}, revision 3 {@code statusSince},
 * which older snapshots lack).
 */
@Aggregate(snapshotTriggerDefinition = "customerSnapshotTrigger", cache = "customerCache")
@Revision("3")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class Customer {

    @AggregateIdentifier
    private String customerId;
    private CustomerRegistered registration;
    private CustomerStatus status;
    /** When the status in force took effect: the business time of the registration or of the change to it. */
    private OffsetDateTime statusSince;
    private String name;
    private String email;
    private String phone;
    private String country;
    private Map<String, ContactRecorded> contacts = new HashMap<>();
    private Map<String, Order> orders = new HashMap<>();
    private Map<String, RefundRecorded> refunds = new HashMap<>();
    /**
     * The version each contact, order and refund was first answered with (the sequence of its event, or of the move to
     * ACTIVE an order made), by {@link #answerKey}: a retry answers as the first time (SPEC section 4).
     */
    private Map<String, Long> firstAnswers = new HashMap<>();
    private CustomerStatusChanged lastManualStatusChange;
    private Set<String> manualStatusChanges = new HashSet<>();
    private boolean erased;
    private String lastHash;

    Customer() {
        // for Axon (event sourcing and CREATE_IF_MISSING) and Jackson (snapshots)
    }

    /**
     * Registration creates the customer; registering an existing id is a conflict, except that an
     * import re-registering it with identical content is a duplicate (importing a file twice records
     * nothing new).
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    CommandResult handle(RegisterCustomer command, @MetaDataValue(MetadataKeys.SOURCE) String source,
                         EmailClaims emailClaims, Clock clock, PersonalDataProtector protector, EventHashChain chain) {
        if (registration != null) {
            if (MetadataKeys.SOURCE_IMPORT.equals(source) && !erased && sameRegistration(command, protector)) {
                return unchanged();
            }
            throw new CustomerConflictException("customerId", "customer '" + command.customerId() + "' is already registered");
        }
        String email = trimmed(command.email());
        if (email != null) {
            emailClaims.claim(command.customerId(), email);
        }
        String id = command.customerId();
        record(new CustomerRegistered(id, protector.protect(id, PersonalFields.NAME, command.name().trim()),
                protector.protect(id, PersonalFields.EMAIL, email),
                protector.protect(id, PersonalFields.PHONE, trimmed(command.phone())),
                command.country(), command.acquisitionChannel(),
                command.registeredAt() != null ? command.registeredAt() : StoredPrecision.now(clock)), chain);
        return recorded();
    }

    /** Only fields that differ are recorded; an update that changes nothing records nothing. */
    @CommandHandler
    CommandResult handle(UpdateProfile command, EmailClaims emailClaims, Clock clock, PersonalDataProtector protector,
                         EventHashChain chain) {
        refuseIfErased(PersonalFields.NAME, command.name());
        refuseIfErased(PersonalFields.EMAIL, command.email());
        refuseIfErased(PersonalFields.PHONE, command.phone());
        String currentEmail = reveal(protector, PersonalFields.EMAIL, email);
        String newName = changed(trimmed(command.name()), reveal(protector, PersonalFields.NAME, name));
        String newEmail = changed(trimmed(command.email()), currentEmail);
        String newPhone = changed(trimmed(command.phone()), reveal(protector, PersonalFields.PHONE, phone));
        String newCountry = changed(command.country(), country);
        if (newName == null && newEmail == null && newPhone == null && newCountry == null) {
            return unchanged();
        }
        if (newEmail != null) {
            emailClaims.change(customerId, currentEmail, newEmail);
        }
        record(new CustomerProfileUpdated(customerId, protector.protect(customerId, PersonalFields.NAME, newName),
                protector.protect(customerId, PersonalFields.EMAIL, newEmail),
                protector.protect(customerId, PersonalFields.PHONE, newPhone), newCountry, StoredPrecision.now(clock)),
                chain);
        return recorded();
    }

    @CommandHandler
    CommandResult handle(RecordContact command, PersonalDataProtector protector, EventHashChain chain) {
        refuseIfErased(PersonalFields.SUBJECT, command.subject());
        refuseIfErased(PersonalFields.NOTES, command.notes());
        refuseIfErased(PersonalFields.OUTCOME, command.outcome());
        ContactRecorded earlier = contacts.get(command.contactId());
        if (earlier == null && command.legacyContactId() != null) {
            earlier = contacts.get(command.legacyContactId());
        }
        if (earlier != null) {
            if (sameContact(earlier, command, protector)) {
                return answeredBefore(answerKey("contact", earlier.contactId()));
            }
            String recordedAs = earlier.contactId().equals(command.contactId()) ? ""
                    : " as '" + earlier.contactId() + "' (the id imports derived before)";
            throw new CustomerConflictException("contactId", "contact '" + command.contactId() + "' was already"
                    + " recorded" + recordedAs + " with different content");
        }
        record(new ContactRecorded(customerId, command.contactId(), command.channel(), command.direction(),
                command.agent(), protector.protect(customerId, PersonalFields.SUBJECT, command.subject()),
                protector.protect(customerId, PersonalFields.NOTES, command.notes()),
                protector.protect(customerId, PersonalFields.OUTCOME, command.outcome()), command.occurredAt()), chain);
        return recorded();
    }

    /** A purchase by a customer who is not ACTIVE also records the move to ACTIVE, with the purchase as reason. */
    @CommandHandler
    CommandResult handle(RecordPurchase command, EventHashChain chain) {
        Order earlier = orders.get(command.orderId());
        if (earlier != null) {
            if (samePurchase(earlier.purchase(), command)) {
                return answeredBefore(answerKey("order", command.orderId()));
            }
            throw new CustomerConflictException("orderId",
                    "order '" + command.orderId() + "' was already recorded with different content");
        }
        record(new PurchaseRecorded(customerId, command.orderId(), command.amount(), command.lines(),
                command.channel(), command.occurredAt()), chain);
        if (status.becomesActiveOnPurchase() && !predatesTheMoveOutOfActive(command.occurredAt())) {
            record(new CustomerStatusChanged(customerId, status, CustomerStatus.ACTIVE,
                    "purchase " + command.orderId(), command.orderId(), command.occurredAt()), chain);
        }
        return recorded();
    }

    /**
     * A purchase dated before the customer was moved to INACTIVE or CHURNED (history imported after the decision)
     * happened while the earlier status held: it does not undo the later decision. Recorded, its move to ACTIVE would
     * also leave the two time axes disagreeing: the live status ACTIVE (recording order), the as-of state on the
     * business-time axis the churn again (the move dated before it).
     */
    private boolean predatesTheMoveOutOfActive(OffsetDateTime purchasedAt) {
        return (status == CustomerStatus.INACTIVE || status == CustomerStatus.CHURNED)
                && statusSince != null && purchasedAt.isBefore(statusSince);
    }

    /** Refunds never exceed what was paid for the order, summed over all its refunds. */
    @CommandHandler
    CommandResult handle(RecordRefund command, EventHashChain chain) {
        RefundRecorded earlier = refunds.get(command.refundId());
        if (earlier != null) {
            if (sameRefund(earlier, command)) {
                return answeredBefore(answerKey("refund", command.refundId()));
            }
            throw new CustomerConflictException("refundId",
                    "refund '" + command.refundId() + "' was already recorded with different content");
        }
        Order order = orders.get(command.orderId());
        if (order == null) {
            throw new UnknownOrderException(customerId, command.orderId());
        }
        Money paid = order.purchase().amount();
        if (!command.amount().sameCurrencyAs(paid)) {
            throw new ClientInputException("amount.currency", "must be the order's currency " + paid.currency());
        }
        if (command.occurredAt().isBefore(order.purchase().occurredAt())) {
            throw new CustomerConflictException("occurredAt", "a refund cannot precede its order, placed at "
                    + order.purchase().occurredAt());
        }
        if (command.amount().compareAmount(order.refundable()) > 0) {
            throw new CustomerConflictException("amount",
                    "refunds would exceed the order: paid " + paid + ", already refunded " + order.refunded()
                            + ", at most " + order.refundable() + " can still be refunded")
                    .with("paid", paid).with("refunded", order.refunded()).with("refundable", order.refundable());
        }
        record(new RefundRecorded(customerId, command.orderId(), command.refundId(), command.amount(),
                command.reason(), command.occurredAt()), chain);
        return recorded();
    }

    /**
     * Manual lifecycle moves follow {@link CustomerStatus#allowedNext()}. Re-sending a change already
     * recorded (same status, reason and effective time; without an effective time: the latest change,
     * still in force) is an idempotent retry.
     */
    @CommandHandler
    CommandResult handle(ChangeStatus command, Clock clock, EventHashChain chain) {
        if (isRetryOf(command)) {
            return unchanged();
        }
        if (!status.canMoveTo(command.status())) {
            List<String> allowed = status.allowedNext().stream().map(Enum::name).sorted().toList();
            throw new CustomerConflictException("status",
                    "cannot move from " + status + " to " + command.status() + "; allowed from " + status + ": "
                            + (allowed.isEmpty() ? "none" : String.join(", ", allowed)))
                    .with("currentStatus", status.name()).with("allowedTransitions", allowed);
        }
        record(new CustomerStatusChanged(customerId, status, command.status(), command.reason().trim(), null,
                command.effectiveAt() != null ? command.effectiveAt() : StoredPrecision.now(clock)), chain);
        return recorded();
    }

    /**
     * Erasure releases the customer's email claims and destroys their data key, in the transaction
     * that appends the event. Erasing again is an idempotent retry (nothing recorded, key destruction
     * repeated in case an earlier attempt's key survived elsewhere).
     */
    @CommandHandler
    CommandResult handle(ErasePersonalData command, EmailClaims emailClaims, PersonalDataProtector protector,
                         EventHashChain chain, Clock clock) {
        emailClaims.releaseAll(customerId);
        protector.forget(customerId);
        if (erased) {
            return unchanged();
        }
        record(new CustomerPersonalDataErased(customerId, command.reason().trim(), StoredPrecision.now(clock)), chain);
        return recorded();
    }

    @EventSourcingHandler
    void on(CustomerRegistered event, @MetaDataValue(EventHashChain.HASH) String hash) {
        lastHash = hash;
        customerId = event.customerId();
        registration = event;
        status = CustomerStatus.LEAD;
        statusSince = event.occurredAt();
        name = event.name();
        email = event.email();
        phone = event.phone();
        country = event.country();
    }

    @EventSourcingHandler
    void on(CustomerProfileUpdated event, @MetaDataValue(EventHashChain.HASH) String hash) {
        lastHash = hash;
        name = event.name() != null ? event.name() : name;
        email = event.email() != null ? event.email() : email;
        phone = event.phone() != null ? event.phone() : phone;
        country = event.country() != null ? event.country() : country;
    }

    @EventSourcingHandler
    void on(ContactRecorded event, @MetaDataValue(EventHashChain.HASH) String hash, @SequenceNumber long sequence) {
        lastHash = hash;
        contacts.put(event.contactId(), event);
        firstAnswers.put(answerKey("contact", event.contactId()), sequence);
    }

    @EventSourcingHandler
    void on(PurchaseRecorded event, @MetaDataValue(EventHashChain.HASH) String hash, @SequenceNumber long sequence) {
        lastHash = hash;
        orders.put(event.orderId(), Order.placed(event));
        firstAnswers.put(answerKey("order", event.orderId()), sequence);
    }

    @EventSourcingHandler
    void on(RefundRecorded event, @MetaDataValue(EventHashChain.HASH) String hash, @SequenceNumber long sequence) {
        lastHash = hash;
        refunds.put(event.refundId(), event);
        orders.computeIfPresent(event.orderId(), (id, order) -> order.refund(event.amount()));
        firstAnswers.put(answerKey("refund", event.refundId()), sequence);
    }

    @EventSourcingHandler
    void on(CustomerStatusChanged event, @MetaDataValue(EventHashChain.HASH) String hash,
            @SequenceNumber long sequence) {
        lastHash = hash;
        status = event.to();
        statusSince = event.occurredAt();
        if (event.triggeredByOrderId() == null) {
            lastManualStatusChange = event;
            manualStatusChanges.add(statusChangeKey(event.to(), event.reason(), event.occurredAt()));
        } else {
            // recorded by the same call as the order's purchase, so that call answered this version
            firstAnswers.put(answerKey("order", event.triggeredByOrderId()), sequence);
        }
    }

    /** What is left is what is not personal: contacts keep their facts, not their words. */
    @EventSourcingHandler
    void on(CustomerPersonalDataErased event, @MetaDataValue(EventHashChain.HASH) String hash) {
        lastHash = hash;
        erased = true;
        name = null;
        email = null;
        phone = null;
        registration = new CustomerRegistered(registration.customerId(), null, null, null, registration.country(),
                registration.acquisitionChannel(), registration.occurredAt());
        contacts.replaceAll((id, c) -> new ContactRecorded(c.customerId(), c.contactId(), c.channel(), c.direction(),
                c.agent(), null, null, null, c.occurredAt()));
    }

    /** Applies {@code event} as the next link of the customer's hash chain. */
    private void record(Object event, EventHashChain chain) {
        Long version = AggregateLifecycle.getVersion();
        long sequence = version == null ? 0 : version + 1;
        String hash = chain.hashOf(lastHash, sequence, event);
        MetaData link = lastHash == null
                ? MetaData.with(EventHashChain.HASH, hash)
                : MetaData.with(EventHashChain.HASH, hash).and(EventHashChain.PREVIOUS_HASH, lastHash);
        apply(event, link);
    }

    private void refuseIfErased(String field, String value) {
        if (erased && value != null) {
            throw new CustomerConflictException(field,
                    "the customer's personal data was erased; no new personal data is recorded for them");
        }
    }

    private String reveal(PersonalDataProtector protector, String field, String stored) {
        return stored == null ? null : protector.reveal(customerId, field, stored).orElse(null);
    }

    private boolean isRetryOf(ChangeStatus command) {
        String reason = command.reason().trim();
        if (command.effectiveAt() != null) {
            return manualStatusChanges.contains(statusChangeKey(command.status(), reason, command.effectiveAt()));
        }
        return status == command.status() && lastManualStatusChange != null
                && lastManualStatusChange.to() == command.status() && lastManualStatusChange.reason().equals(reason);
    }

    private static String statusChangeKey(CustomerStatus to, String reason, OffsetDateTime at) {
        return to + "|" + at.toInstant() + "|" + reason;
    }

    private boolean sameRegistration(RegisterCustomer command, PersonalDataProtector protector) {
        return command.name().trim().equals(reveal(protector, PersonalFields.NAME, registration.name()))
                && Objects.equals(reveal(protector, PersonalFields.EMAIL, registration.email()), trimmed(command.email()))
                && Objects.equals(reveal(protector, PersonalFields.PHONE, registration.phone()), trimmed(command.phone()))
                && Objects.equals(registration.country(), command.country())
                && Objects.equals(registration.acquisitionChannel(), command.acquisitionChannel())
                && (command.registeredAt() == null || command.registeredAt().isEqual(registration.occurredAt()));
    }

    private boolean sameContact(ContactRecorded earlier, RecordContact command, PersonalDataProtector protector) {
        return earlier.channel() == command.channel()
                && earlier.direction() == command.direction()
                && earlier.occurredAt().isEqual(command.occurredAt())
                && Objects.equals(earlier.agent(), command.agent())
                && Objects.equals(reveal(protector, PersonalFields.SUBJECT, earlier.subject()), command.subject())
                && Objects.equals(reveal(protector, PersonalFields.NOTES, earlier.notes()), command.notes())
                && Objects.equals(reveal(protector, PersonalFields.OUTCOME, earlier.outcome()), command.outcome());
    }

    private static boolean samePurchase(PurchaseRecorded earlier, RecordPurchase command) {
        if (!earlier.amount().sameAmountAs(command.amount())
                || !earlier.occurredAt().isEqual(command.occurredAt())
                || earlier.channel() != command.channel()
                || earlier.lines().size() != command.lines().size()) {
            return false;
        }
        for (int i = 0; i < earlier.lines().size(); i++) {
            PurchaseLine a = earlier.lines().get(i);
            PurchaseLine b = command.lines().get(i);
            if (!a.sku().equals(b.sku()) || a.quantity() != b.quantity() || !a.unitPrice().sameAmountAs(b.unitPrice())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameRefund(RefundRecorded earlier, RecordRefund command) {
        return earlier.orderId().equals(command.orderId())
                && earlier.amount().sameAmountAs(command.amount())
                && earlier.occurredAt().isEqual(command.occurredAt())
                && Objects.equals(earlier.reason(), command.reason());
    }

    private static String changed(String requested, String current) {
        return requested != null && !requested.equals(current) ? requested : null;
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    private CommandResult recorded() {
        return new CommandResult(customerId, AggregateLifecycle.getVersion(), true);
    }

    /** A retry of a contact, order or refund: nothing recorded, the version its first call answered. */
    private CommandResult answeredBefore(String key) {
        Long first = firstAnswers.get(key);
        return first == null ? unchanged() : new CommandResult(customerId, first, false);
    }

    private static String answerKey(String kind, String id) {
        return kind + ":" + id;
    }

    private CommandResult unchanged() {
        Long version = AggregateLifecycle.getVersion();
        return new CommandResult(customerId, version == null ? -1 : version, false);
    }
}
