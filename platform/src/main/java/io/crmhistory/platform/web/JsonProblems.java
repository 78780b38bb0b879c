package io.crmhistory.platform.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.temporal.Temporal;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns what Jackson reports about unreadable JSON into a {@link FieldProblem} a client can act on:
 * the JSON path of the field, and what was expected there. Used for request bodies and for each
 * line of an NDJSON import, so both say the same thing about the same mistake.
 */
public final class JsonProblems {

    private JsonProblems() {
    }

    public static FieldProblem describe(Throwable cause) {
        FieldProblem duplicate = duplicateField(cause);
        if (duplicate != null) {
            return duplicate;
        }
        if (cause instanceof JsonParseException parse) {
            return new FieldProblem("body", "malformed JSON" + at(parse.getLocation()) + ": " + parse.getOriginalMessage());
        }
        if (cause instanceof InvalidFormatException invalid) {
            return new FieldProblem(pathOf(invalid), "'" + invalid.getValue() + "' is not a valid "
                    + describeType(invalid.getTargetType()));
        }
        if (cause instanceof ValueInstantiationException instantiation) {
            Throwable root = instantiation.getCause() == null ? instantiation : instantiation.getCause();
            String message = root.getMessage() == null ? "is invalid" : root.getMessage();
            // Objects.requireNonNull(value, "value") in a record reports just the component name.
            return message.matches("[A-Za-z]+")
                    ? new FieldProblem(join(pathOf(instantiation), message), "is required")
                    : new FieldProblem(pathOf(instantiation), message);
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return new FieldProblem(pathOf(unknown), "is not a field of this request; known fields: "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", ")));
        }
        if (cause instanceof MismatchedInputException mismatch) {
            if (mismatch.getOriginalMessage() != null && mismatch.getOriginalMessage().startsWith("Trailing token")) {
                // DeserializationFeature.FAIL_ON_TRAILING_TOKENS: a second value, or text, after the first
                return new FieldProblem("body", "only one JSON value is allowed, but more follows" + at(mismatch.getLocation()));
            }
            if (mismatch.getPath().isEmpty()) {
                return new FieldProblem("body", "expected a JSON " + describeType(mismatch.getTargetType()));
            }
            return new FieldProblem(pathOf(mismatch), "expected " + withArticle(describeType(mismatch.getTargetType())));
        }
        if (cause instanceof JsonMappingException mapping) {
            return new FieldProblem(pathOf(mapping), mapping.getOriginalMessage());
        }
        if (cause instanceof JsonProcessingException processing) {
            return new FieldProblem("body", "malformed JSON" + at(processing.getLocation()) + ": "
                    + processing.getOriginalMessage());
        }
        return new FieldProblem("body", "a JSON body is required");
    }

    /**
     * A field given twice in one object (the request readers enable {@code STRICT_DUPLICATE_DETECTION}):
     * named with its path, whether the parser's exception reached here as it was or wrapped by databind with a path.
     * Taking the last value silently would record something other than what a client that meant the first one sent.
     */
    private static FieldProblem duplicateField(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamReadException read && read.getOriginalMessage() != null
                    && read.getOriginalMessage().startsWith("Duplicate field")
                    && read.getProcessor() != null) {
                return new FieldProblem(pathOf(read.getProcessor().getParsingContext()), "is given more than once");
            }
        }
        return null;
    }

    /** The path of where a parser is, e.g. {@code lines[1].sku}: the same notation as {@link #pathOf(JsonMappingException)}. */
    private static String pathOf(JsonStreamContext context) {
        Deque<String> steps = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            steps.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        String path = String.join("", steps);
        return path.startsWith(".") ? path.substring(1) : path.isEmpty() ? "body" : path;
    }

    /** The JSON path of the field Jackson stopped at, e.g. {@code lines[0].unitPrice.value}. */
    public static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    public static String describeType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type.isEnum()) {
            return "value (one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", ")) + ")";
        }
        if (type == BigDecimal.class) {
            return "decimal number (as a string, e.g. \"149.90\")";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "ISO-8601 timestamp with offset (e.g. 2026-01-01T10:00:00+01:00)";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type == String.class) {
            return "string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        if (type.isRecord()) {
            // e.g. an amount given as a number: say which fields the object takes
            return "object with " + Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                    .collect(Collectors.joining(", "));
        }
        if (Map.class.isAssignableFrom(type)) {
            return "object";
        }
        return type.getSimpleName();
    }

    /** "an object with value, currency", "an ISO-8601 timestamp …", "a number". */
    private static String withArticle(String description) {
        return ("aeiou".indexOf(Character.toLowerCase(description.charAt(0))) >= 0 ? "an " : "a ") + description;
    }

    private static String join(String path, String field) {
        return "body".equals(path) ? field : path + "." + field;
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
