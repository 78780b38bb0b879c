package io.crmhistory.platform.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.crmhistory.platform.time.StoredPrecision;
import io.crmhistory.platform.time.UtcInstants;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.TimeZone;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Jackson's reading of an {@link Instant} or an {@link OffsetDateTime}, with the UTC text Java writes
 * ({@code 2026-01-31T23:59:59Z}, {@code .123Z}) read directly ({@link UtcInstants}): every stored event carries an
 * {@code occurredAt}, read each time the event is deserialized, and Jackson's {@code DateTimeFormatter} took 9 % of a
 * directory rebuild's projection thread (session 54). Every other text and token (a number, another offset, a blank,
 * a malformed time), a property with a {@code @JsonFormat} of its own, and an offset time Jackson would move to a
 * context time zone other than UTC go to Jackson's own deserializer, so the result or the error is always Jackson's;
 * but a number is refused (Jackson would take it for epoch seconds), and every time is cut to the millisecond
 * ({@link StoredPrecision}: the read models keep no finer digits, and the as-of replay must show what they show).
 */
final class UtcTimeDeserializer<T extends Temporal> extends StdScalarDeserializer<T> implements ContextualDeserializer {

    private final InstantDeserializer<T> jackson;
    /** The value of an instant read in UTC, or null where Jackson's would differ. */
    private final BiFunction<Instant, DeserializationContext, T> ofInstant;
    private final UnaryOperator<T> toStoredPrecision;

    private UtcTimeDeserializer(Class<T> type, InstantDeserializer<T> jackson,
                                BiFunction<Instant, DeserializationContext, T> ofInstant,
                                UnaryOperator<T> toStoredPrecision) {
        super(type);
        this.jackson = jackson;
        this.ofInstant = ofInstant;
        this.toStoredPrecision = toStoredPrecision;
    }

    static UtcTimeDeserializer<Instant> instants() {
        return new UtcTimeDeserializer<>(Instant.class, InstantDeserializer.INSTANT, (instant, context) -> instant,
                StoredPrecision::of);
    }

    /**
     * Jackson moves an offset time to the context's time zone ({@code ADJUST_DATES_TO_CONTEXT_TIME_ZONE}, on by
     * default); one read in UTC stays in UTC where that zone is UTC (the default) or the feature is off.
     */
    static UtcTimeDeserializer<OffsetDateTime> offsetTimes() {
        return new UtcTimeDeserializer<>(OffsetDateTime.class, InstantDeserializer.OFFSET_DATE_TIME,
                (instant, context) -> !context.isEnabled(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                        || isUtc(context.getTimeZone()) ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : null,
                StoredPrecision::of);
    }

    private static boolean isUtc(TimeZone zone) {
        return zone.toZoneId().normalized().equals(ZoneOffset.UTC);
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
            throws JsonMappingException {
        JsonDeserializer<?> contextual = jackson.createContextual(context, property);
        return contextual == jackson ? this : contextual;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT || parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
            // Jackson reads a number as epoch seconds, and one it cannot place (1e64) as 1970 without a word. Every
            // time here is written as text (write-dates-as-timestamps is off), and clients are to send it as text.
            throw MismatchedInputException.from(parser, handledType(),
                    "a time is an ISO-8601 text with offset, e.g. \"2025-06-01T09:00:00Z\", not a number");
        }
        if (parser.hasToken(JsonToken.VALUE_STRING)) {
            Instant instant = UtcInstants.parseOrNull(parser.getText());
            T value = instant == null ? null : ofInstant.apply(instant, context);
            if (value != null) {
                return toStoredPrecision.apply(value);
            }
        }
        T value = jackson.deserialize(parser, context);
        return value == null ? null : toStoredPrecision.apply(value);
    }
}
