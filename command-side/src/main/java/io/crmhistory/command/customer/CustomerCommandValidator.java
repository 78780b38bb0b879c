package io.crmhistory.command.customer;

import io.crmhistory.api.customer.PurchaseLine;
import io.crmhistory.api.customer.command.ChangeStatus;
import io.crmhistory.api.customer.command.RecordContact;
import io.crmhistory.api.customer.command.RecordPurchase;
import io.crmhistory.api.customer.command.RecordRefund;
import io.crmhistory.api.customer.command.ErasePersonalData;
import io.crmhistory.api.customer.command.RegisterCustomer;
import io.crmhistory.api.customer.command.UpdateProfile;
import io.crmhistory.api.money.Money;
import io.crmhistory.api.money.MoneyRules;
import io.crmhistory.api.rules.PublishSegmentationRules;
import io.crmhistory.api.time.StoredInstants;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.FieldProblem;
import org.springframework.http.HttpStatus;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The input rules of SPEC section 4 that do not depend on a customer's history: ids, required
 * fields, money, lines, dates, country, lengths. It runs on the command bus
 * ({@link CommandValidationInterceptor}), so an HTTP call and an import line get the same answer,
 * and before the customer is loaded, so bad input is a 400 whatever the customer.
 * Every problem of a command is reported at once.
 */
public final class CustomerCommandValidator {

    /** Identifiers supplied by clients (SPEC section 4). */
    public static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** Business time may be in the past (imports of old history) but not further ahead than this. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** At least three digits among the separators: "---" or "( )" is no number to call. */
    private static final Pattern PHONE = Pattern.compile("\\+?(?=(?:[^0-9]*[0-9]){3})[0-9 ()./-]{3,40}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    static final int MAX_NAME = 200;
    static final int MAX_EMAIL = 254;
    static final int MAX_SHORT_TEXT = 200;
    static final int MAX_SUBJECT = 500;
    static final int MAX_NOTES = 10_000;
    static final int MAX_LINES = 1_000;

    private final Clock clock;
    private final List<FieldProblem> problems = new ArrayList<>();

    private CustomerCommandValidator(Clock clock) {
        this.clock = clock;
    }

    /** @throws ClientInputException listing every problem, when there is one */
    public static void validate(Object command, Clock clock) {
        CustomerCommandValidator validator = new CustomerCommandValidator(clock);
        if (command instanceof RegisterCustomer c) {
            validator.register(c);
        } else if (command instanceof UpdateProfile c) {
            validator.update(c);
        } else if (command instanceof RecordContact c) {
            validator.contact(c);
        } else if (command instanceof RecordPurchase c) {
            validator.purchase(c);
        } else if (command instanceof RecordRefund c) {
            validator.refund(c);
        } else if (command instanceof ChangeStatus c) {
            validator.status(c);
        } else if (command instanceof ErasePersonalData c) {
            validator.erase(c);
        }
        if (!validator.problems.isEmpty()) {
            throw new ClientInputException(HttpStatus.BAD_REQUEST, validator.problems);
        }
    }

    private void register(RegisterCustomer c) {
        customerId(c.customerId());
        required("name", c.name(), MAX_NAME);
        email(c.email());
        phone(c.phone());
        country(c.country());
        optional("acquisitionChannel", c.acquisitionChannel(), MAX_SHORT_TEXT);
        notInFuture("registeredAt", c.registeredAt());
    }

    private void update(UpdateProfile c) {
        customerId(c.customerId());
        if (c.name() == null && c.email() == null && c.phone() == null && c.country() == null) {
            problem("body", "at least one of name, email, phone, country is required");
        }
        if (c.name() != null) {
            required("name", c.name(), MAX_NAME);
        }
        email(c.email());
        phone(c.phone());
        country(c.country());
    }

    private void contact(RecordContact c) {
        customerId(c.customerId());
        if (c.contactId() != null) {
            id("contactId", c.contactId());
        }
        present("channel", c.channel());
        present("direction", c.direction());
        occurredAt("occurredAt", c.occurredAt());
        optional("agent", c.agent(), MAX_SHORT_TEXT);
        optional("subject", c.subject(), MAX_SUBJECT);
        optional("notes", c.notes(), MAX_NOTES);
        optional("outcome", c.outcome(), MAX_SHORT_TEXT);
    }

    private void purchase(RecordPurchase c) {
        customerId(c.customerId());
        id("orderId", c.orderId());
        occurredAt("occurredAt", c.occurredAt());
        boolean amountValid = money("amount", c.amount());
        if (amountValid && c.amount().isNegative()) {
            problem("amount.value", "must be zero or positive");
        }
        // lines are checked against the amount only when it is itself valid (printing 1E+999999999 is a billion digits)
        lines(amountValid ? c.amount() : null, c.lines());
    }

    private void refund(RecordRefund c) {
        customerId(c.customerId());
        id("orderId", c.orderId());
        id("refundId", c.refundId());
        occurredAt("occurredAt", c.occurredAt());
        if (money("amount", c.amount()) && !c.amount().isPositive()) {
            problem("amount.value", "must be positive");
        }
        optional("reason", c.reason(), MAX_SUBJECT);
    }

    private void erase(ErasePersonalData c) {
        customerId(c.customerId());
        required("reason", c.reason(), MAX_SUBJECT);
    }

    private void status(ChangeStatus c) {
        customerId(c.customerId());
        present("status", c.status());
        required("reason", c.reason(), MAX_SUBJECT);
        notInFuture("effectiveAt", c.effectiveAt());
    }

    private void lines(Money amount, List<PurchaseLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        if (lines.size() > MAX_LINES) {
            problem("lines", "at most " + MAX_LINES + " lines are allowed");
            return;
        }
        boolean linesValid = true;
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < lines.size(); i++) {
            String field = "lines[" + i + "]";
            PurchaseLine line = lines.get(i);
            if (line == null) {
                problem(field, "is required");
                linesValid = false;
                continue;
            }
            required(field + ".sku", line.sku(), 64);
            if (line.quantity() <= 0) {
                problem(field + ".quantity", "must be positive");
                linesValid = false;
            }
            if (!money(field + ".unitPrice", line.unitPrice())) {
                linesValid = false;
                continue;
            }
            if (line.unitPrice().isNegative()) {
                problem(field + ".unitPrice.value", "must be zero or positive");
                linesValid = false;
            }
            if (amount != null && !line.unitPrice().currency().equals(amount.currency())) {
                problem(field + ".unitPrice.currency", "must be the order's currency " + amount.currency());
                linesValid = false;
                continue;
            }
            total = total.add(line.total().value());
        }
        if (linesValid && amount != null && total.compareTo(amount.value()) != 0) {
            problem("lines", "the lines sum to " + total.toPlainString() + " but the amount is "
                    + amount.value().toPlainString());
        }
    }

    private boolean money(String field, Money money) {
        if (money == null) {
            problem(field, "is required");
            return false;
        }
        return MoneyRules.problemWith(money).map(wrong -> {
            problem(field + "." + wrong.part(), wrong.reason());
            return false;
        }).orElse(true);
    }

    private void occurredAt(String field, OffsetDateTime value) {
        if (value == null) {
            problem(field, "is required");
        }
        notInFuture(field, value);
    }

    private void notInFuture(String field, OffsetDateTime value) {
        if (value != null && value.toInstant().isBefore(StoredInstants.EARLIEST)) {
            problem(field, "must not be before " + StoredInstants.EARLIEST + " (the read side keeps years 0001 to 9999)");
        } else if (value != null && value.toInstant().isAfter(clock.instant().plus(MAX_CLOCK_SKEW))) {
            problem(field, "must not be more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future");
        }
    }

    private void customerId(String value) {
        id("customerId", value);
        if (PublishSegmentationRules.RULE_BOOK_ID.equals(value)) {
            // the rule book's events live in a stream of this id: a customer of that id would mix into it and make
            // the rule book unloadable (Axon keys streams by id alone)
            problem("customerId", "'" + value + "' is reserved for the segmentation rule book");
        }
    }

    private void id(String field, String value) {
        if (value == null) {
            problem(field, "is required");
        } else if (!CLIENT_ID.matcher(value).matches()) {
            problem(field, "must match " + CLIENT_ID.pattern());
        } else if (value.equals(".") || value.equals("..")) {
            // the id rule lets them through, but no URL can name them: clients and servers resolve them as the
            // current and the parent path (Spring Security's firewall refuses them), so such a customer or order
            // could be recorded and never be read, changed or refunded over HTTP again
            problem(field, "'" + value + "' cannot be used: a URL path cannot name it");
        }
    }

    private void present(String field, Object value) {
        if (value == null) {
            problem(field, "is required");
        }
    }

    private void required(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            problem(field, "is required");
        } else {
            optional(field, value, maxLength);
        }
    }

    private void optional(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            problem(field, "at most " + maxLength + " characters are allowed");
        }
    }

    private void email(String email) {
        if (email == null) {
            return;
        }
        String trimmed = email.trim();
        if (trimmed.length() > MAX_EMAIL || !EMAIL.matcher(trimmed).matches()) {
            // personal data is never echoed (responses and logs): the field name says enough
            problem("email", "is not an email address");
        }
    }

    private void phone(String phone) {
        if (phone != null && !PHONE.matcher(phone.trim()).matches()) {
            problem("phone", "is not a phone number (at least 3 digits; digits, spaces, + ( ) . / -)");
        }
    }

    private void country(String country) {
        if (country != null && !COUNTRIES.contains(country)) {
            problem("country", "'" + country + "' is not an ISO 3166 alpha-2 country code (e.g. DE, FR, US)");
        }
    }

    private void problem(String field, String reason) {
        problems.add(new FieldProblem(field, reason));
    }
}
