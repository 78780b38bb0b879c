package io.crmhistory.platform.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.crmhistory.platform.time.StoredPrecision;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.TimeZone;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The application's mapper reads every time as Jackson's own deserializers read it: the same value cut to the
 * millisecond ({@link StoredPrecision}), or the same error, for the UTC text it reads directly and for everything it
 * hands on.
 */
class UtcTimeDeserializerTest {

    record Occurred(OffsetDateTime occurredAt, Instant recordedAt) {
    }

    private static final ObjectMapper APPLICATION = withTimeReading(Jackson2ObjectMapperBuilder.json()).build();
    private static final ObjectMapper JACKSON = Jackson2ObjectMapperBuilder.json().build();

    private static Jackson2ObjectMapperBuilder withTimeReading(Jackson2ObjectMapperBuilder builder) {
        new JacksonAutoConfiguration().crmTimeReading().customize(builder);
        return builder;
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2025-11-20T12:00:00Z\"", "\"2025-11-20T12:00:00.250Z\"",
            "\"2025-11-20T12:00:00.123456789Z\"", "\"2025-11-20T12:00:00+02:00\"", "\"2025-11-20T12:00:00.5-05:30\"",
            "\"2025-11-20T24:00:00Z\"", "\"2025-02-30T12:00:00Z\"", "\"2025-11-20\"", "\" 2025-11-20T12:00:00Z \"",
            "\"\"", "\"yesterday\"", "null", "true", "[]"})
    void readsEveryTimeAsJacksonReadsIt(String json) {
        String document = "{\"occurredAt\": " + json + ", \"recordedAt\": " + json + "}";
        assertSameOutcome(() -> APPLICATION.readValue(document, Occurred.class),
                () -> JACKSON.readValue(document, Occurred.class));
        assertSameOutcome(() -> APPLICATION.readValue(json, Instant.class), () -> JACKSON.readValue(json, Instant.class));
        assertSameOutcome(() -> APPLICATION.readValue(json, OffsetDateTime.class),
                () -> JACKSON.readValue(json, OffsetDateTime.class));
    }

    /** A number is no time here: Jackson took it for epoch seconds, and 1e64 (which it cannot place) for 1970. */
    @ParameterizedTest
    @ValueSource(strings = {"1764000000", "1764000000.5", "1e64", "-1"})
    void aNumberIsRefusedNotReadAsEpochSeconds(String json) {
        for (Class<?> type : new Class<?>[] {Instant.class, OffsetDateTime.class}) {
            assertThat(catchThrowable(() -> APPLICATION.readValue(json, type))).as(type + " " + json)
                    .isInstanceOf(com.fasterxml.jackson.databind.exc.MismatchedInputException.class)
                    .hasMessageContaining("ISO-8601");
        }
        assertThat(catchThrowable(() -> APPLICATION.readValue("{\"occurredAt\": " + json + "}", Occurred.class)))
                .isInstanceOf(com.fasterxml.jackson.databind.exc.MismatchedInputException.class);
    }

    /** In another context time zone Jackson moves an offset time there: the direct read must not skip that. */
    @ParameterizedTest
    @ValueSource(strings = {"\"2025-07-20T12:00:00Z\"", "\"2025-01-20T12:00:00.250Z\""})
    void anOffsetTimeMovesToTheContextTimeZoneAsJacksonMovesIt(String json) throws Exception {
        TimeZone berlin = TimeZone.getTimeZone("Europe/Berlin");
        ObjectMapper application = withTimeReading(Jackson2ObjectMapperBuilder.json().timeZone(berlin)).build();
        ObjectMapper jackson = Jackson2ObjectMapperBuilder.json().timeZone(berlin).build();

        OffsetDateTime read = application.readValue(json, OffsetDateTime.class);

        assertThat(read).isEqualTo(jackson.readValue(json, OffsetDateTime.class));
        assertThat(read.getOffset().getTotalSeconds()).isPositive();
    }

    @Test
    void aTimeIsCutToTheMillisecond() throws Exception {
        for (String json : new String[] {"\"2025-11-20T12:00:00.123999999Z\"", "\"2025-11-20T14:00:00.123456+02:00\""}) {
            assertThat(APPLICATION.readValue(json, Instant.class)).as(json)
                    .isEqualTo(Instant.parse("2025-11-20T12:00:00.123Z"));
            assertThat(APPLICATION.readValue(json, OffsetDateTime.class).toInstant()).as(json)
                    .isEqualTo(Instant.parse("2025-11-20T12:00:00.123Z"));
        }
    }

    private static void assertSameOutcome(Callable<Object> application, Callable<Object> jackson) {
        Object expected = toStoredPrecision(outcome(jackson));
        Object actual = outcome(application);
        if (expected instanceof Throwable error) {
            assertThat(actual).isInstanceOf(error.getClass());
            assertThat(((Throwable) actual).getMessage()).isEqualTo(error.getMessage());
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static Object toStoredPrecision(Object value) {
        if (value instanceof Instant instant) {
            return StoredPrecision.of(instant);
        }
        if (value instanceof OffsetDateTime time) {
            return StoredPrecision.of(time);
        }
        if (value instanceof Occurred occurred) {
            return new Occurred((OffsetDateTime) toStoredPrecision(occurred.occurredAt()),
                    (Instant) toStoredPrecision(occurred.recordedAt()));
        }
        return value;
    }

    private static Object outcome(Callable<Object> read) {
        Throwable error = catchThrowable(() -> {
            throw new Outcome(read.call());
        });
        return error instanceof Outcome outcome ? outcome.value : error;
    }

    /** Carries a value out of {@code catchThrowable}. */
    private static final class Outcome extends RuntimeException {
        private final transient Object value;

        Outcome(Object value) {
            super(null, null, false, false);
            this.value = value;
        }
    }
}
