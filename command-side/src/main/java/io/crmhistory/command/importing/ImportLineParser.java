package io.crmhistory.command.importing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmhistory.api.customer.command.ChangeStatus;
import io.crmhistory.api.customer.command.RecordContact;
import io.crmhistory.api.customer.command.RecordPurchase;
import io.crmhistory.api.customer.command.RecordRefund;
import io.crmhistory.api.customer.command.RegisterCustomer;
import io.crmhistory.api.customer.command.UpdateProfile;
import io.crmhistory.platform.web.FieldProblem;
import io.crmhistory.platform.web.JsonProblems;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One NDJSON line to one customer command: {@code {"type": "RecordPurchase", ...the command's fields}}.
 * Malformed lines are described with the same field names and reasons as the HTTP calls give.
 */
final class ImportLineParser {

    private final ObjectMapper mapper;
    private final Map<String, ObjectReader> readers = new LinkedHashMap<>();

    ImportLineParser(ObjectMapper mapper) {
        this.mapper = mapper;
        for (Class<?> type : new Class<?>[]{RegisterCustomer.class, UpdateProfile.class, RecordContact.class,
                RecordPurchase.class, RecordRefund.class, ChangeStatus.class}) {
            // Strict as the HTTP bodies are (WebAutoConfiguration): a mistyped field is refused, not ignored.
            readers.put(type.getSimpleName(), mapper.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
        }
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
            node = mapper.readTree(line);
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
        if (command instanceof RecordContact contact && contact.contactId() == null) {
            command = withDerivedContactId(contact, line);
        }
        return new Parsed(command, customerId.asText(), null);
    }

    /**
     * A contact line without an id gets one derived from the line's content, so importing the same
     * file again finds it recorded instead of recording it twice.
     */
    private static RecordContact withDerivedContactId(RecordContact c, String line) {
        String contactId = "import-" + sha256(line).substring(0, 40);
        return new RecordContact(c.customerId(), contactId, c.channel(), c.direction(), c.occurredAt(), c.agent(),
                c.subject(), c.notes(), c.outcome());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.strip().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
