package io.crmhistory.command.importing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmhistory.api.customer.command.ChangeStatus;
import io.crmhistory.api.customer.command.RecordContact;
import io.crmhistory.api.customer.command.RecordPurchase;
import io.crmhistory.api.customer.command.RecordRefund;
import io.crmhistory.api.customer.command.RegisterCustomer;
import io.crmhistory.api.customer.command.UpdateProfile;
import io.crmhistory.platform.web.FieldProblem;
import io.crmhistory.platform.web.JsonProblems;
import io.crmhistory.platform.web.StrictJsonInput;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One NDJSON line to one customer command: {@code {"type": "RecordPurchase", ...the command's fields}}.
 * Malformed lines are described with the same field names and reasons as the HTTP calls give.
 */
final class ImportLineParser {

    /**
     * Lines are read as strictly as HTTP bodies (WebAutoConfiguration): a field given twice is refused, not kept last.
     * A number with a fraction is kept as the decimal written, as the HTTP body's binding keeps it: the tree's default,
     * a double, turned 10.0000000000000001 into 10.0 and 1e-400 into 0.0, recorded as amounts HTTP refuses.
     */
    private final ObjectReader lineReader;
    private final ImportContactIds contactIds;
    private final Map<String, ObjectReader> readers = new LinkedHashMap<>();

    ImportLineParser(ObjectMapper mapper, ImportContactIds contactIds) {
        // As strict as HTTP bodies: a mistyped or repeated field, an enum by position, text as a number are refused.
        ObjectMapper strict = StrictJsonInput.of(mapper);
        this.lineReader = strict.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(JsonNodeFactory.withExactBigDecimals(true));
        this.contactIds = contactIds;
        for (Class<?> type : new Class<?>[]{RegisterCustomer.class, UpdateProfile.class, ContactLine.class,
                RecordPurchase.class, RecordRefund.class, ChangeStatus.class}) {
            String name = type == ContactLine.class ? RecordContact.class.getSimpleName() : type.getSimpleName();
            readers.put(name, strict.readerFor(type));
        }
    }

    /** A {@code RecordContact} line: the command's fields but the legacy id, which only the import sets. */
    record ContactLine(String customerId, String contactId, ContactChannel channel, ContactDirection direction,
                       OffsetDateTime occurredAt, String agent, String subject, String notes, String outcome) {
    }

    /** A parsed line: a command for a customer, or the reason it cannot be one. */
    record Parsed(Object command, String customerId, String problem) {

        static Parsed rejected(FieldProblem problem) {
            return new Parsed(null, null, problem.toString());
        }
    }

    Parsed parse(String line) {
        JsonNode node;
        try {
            node = lineReader.readTree(line);
        } catch (JsonProcessingException e) {
            return Parsed.rejected(JsonProblems.describe(e));
        }
        if (!(node instanceof ObjectNode object)) {
            return Parsed.rejected(new FieldProblem("body", "each line must be a JSON object"));
        }
        JsonNode type = object.remove("type");
        if (type == null || !type.isTextual()) {
            return Parsed.rejected(new FieldProblem("type", "is required, one of " + String.join(", ", readers.keySet())));
        }
        ObjectReader reader = readers.get(type.asText());
        if (reader == null) {
            return Parsed.rejected(new FieldProblem("type", "'" + type.asText() + "' is not one of "
                    + String.join(", ", readers.keySet())));
        }
        JsonNode customerId = object.get("customerId");
        if (customerId == null || !customerId.isTextual()) {
            return Parsed.rejected(new FieldProblem("customerId", "is required in an import line"));
        }
        Object command;
        try {
            command = reader.readValue(object);
        } catch (java.io.IOException e) {
            return Parsed.rejected(JsonProblems.describe(e));
        }
        if (command instanceof ContactLine contact) {
            command = contactCommand(contact, line);
        }
        return new Parsed(command, customerId.asText(), null);
    }

    /**
     * A contact line without an id gets one derived from the line's content ({@link ImportContactIds}), and the id
     * imports derived before, so that a file imported before the ids were keyed is recognised too.
     */
    private RecordContact contactCommand(ContactLine c, String line) {
        boolean derived = c.contactId() == null;
        return new RecordContact(c.customerId(), derived ? contactIds.of(line) : c.contactId(), c.channel(),
                c.direction(), c.occurredAt(), c.agent(), c.subject(), c.notes(), c.outcome(),
                derived ? ImportContactIds.legacyOf(line) : null);
    }
}
