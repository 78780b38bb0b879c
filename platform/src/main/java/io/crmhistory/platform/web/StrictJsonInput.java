package io.crmhistory.platform.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;

/**
 * How what clients send is read: request bodies ({@code WebAutoConfiguration}) and the lines of an import. Stricter
 * than the application's own mapper, which also reads stored events and must go on reading those written before a
 * field was removed:
 * <ul>
 * <li>a field the request does not know is refused, not read as if absent (a mistyped {@code effectiveAT} would
 * record the change as of now without a word);</li>
 * <li>a field given twice is refused, where Jackson would keep the last value;</li>
 * <li>an enum is given by its name only: Jackson takes a number, or text of digits, for the constant at that position
 * ({@code "status": 4} would move the customer to whatever the fifth status is);</li>
 * <li>text is given as text: Jackson turns {@code "name": 42} or {@code "reason": true} into "42" and "true".</li>
 * </ul>
 * Each is refused as a problem naming the field ({@link JsonProblems}).
 */
public final class StrictJsonInput {

    private StrictJsonInput() {
    }

    /** A copy of the application's mapper that reads client input strictly. */
    public static ObjectMapper of(ObjectMapper application) {
        ObjectMapper strict = application.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .registerModule(new SimpleModule("enums-by-name").setDeserializerModifier(new EnumsByName()));
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return strict;
    }

    /** Wraps every enum's deserializer in {@link ByNameOnly}. */
    private static final class EnumsByName extends BeanDeserializerModifier {
        @Override
        public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                                                          BeanDescription description, JsonDeserializer<?> deserializer) {
            return new ByNameOnly(deserializer);
        }
    }

    /**
     * Refuses text of digits for an enum: {@code FAIL_ON_NUMBERS_FOR_ENUMS} refuses a JSON number, but Jackson still
     * reads {@code "4"} as a position unless every scalar coercion is off (which would refuse amounts given as text).
     */
    private static final class ByNameOnly extends DelegatingDeserializer {

        ByNameOnly(JsonDeserializer<?> enumDeserializer) {
            super(enumDeserializer);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new ByNameOnly(newDelegatee);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING) && isDigits(parser.getText())) {
                throw InvalidFormatException.from(parser, "an enum is given by its name, not its position",
                        parser.getText(), handledType());
            }
            return super.deserialize(parser, context);
        }

        private static boolean isDigits(String text) {
            String trimmed = text.trim();
            return !trimmed.isEmpty() && trimmed.chars().allMatch(c -> c >= '0' && c <= '9');
        }
    }
}
