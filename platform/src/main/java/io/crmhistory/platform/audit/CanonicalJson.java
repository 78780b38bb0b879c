package io.crmhistory.platform.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical text of a JSON tree, defined on the tree so that the object an aggregate applies and
 * the bytes the event store holds give the same text: object keys sorted (by UTF-16 code units), no
 * whitespace, strings escaped as Jackson writes them, numbers with exactly the digits of the source
 * (stored bytes are parsed with exact big decimals, never through {@code double}); nulls are kept
 * as {@code null}, absent fields stay absent.
 */
public final class CanonicalJson {

    /** Parses stored bytes without losing any digit of a number. */
    static final ObjectMapper EXACT_READER = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private static final JsonFactory FACTORY = new JsonFactory();

    private CanonicalJson() {
    }

    public static JsonNode parse(byte[] json) {
        try {
            return EXACT_READER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON", e);
        }
    }

    public static String of(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(node, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonNode node, JsonGenerator out) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                node.fieldNames().forEachRemaining(names::add);
                names.sort(null);
                out.writeStartObject();
                for (String name : names) {
                    out.writeFieldName(name);
                    write(node.get(name), out);
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                out.writeStartArray();
                for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                    write(it.next(), out);
                }
                out.writeEndArray();
            }
            case STRING -> out.writeString(node.textValue());
            // integers of any width print their digits; decimals as BigDecimal.toString(), which is
            // how Jackson wrote them into the store
            case NUMBER -> out.writeNumber(node.isIntegralNumber() ? node.bigIntegerValue().toString() : node.decimalValue().toString());
            case BOOLEAN -> out.writeBoolean(node.booleanValue());
            case NULL, MISSING -> out.writeNull();
            case BINARY, POJO -> throw new IllegalArgumentException("not a plain JSON value: " + node.getNodeType());
        }
    }
}
