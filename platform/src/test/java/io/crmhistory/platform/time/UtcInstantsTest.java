package io.crmhistory.platform.time;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The direct read gives {@link Instant#parse}'s instant for the text Java writes, and declines everything else. */
class UtcInstantsTest {

    @Test
    void everyInstantJavaWritesReadsBackAsJavaReadsIt() {
        SplittableRandom random = new SplittableRandom(54);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        int[] nanosPrecision = {1_000_000_000, 1_000_000, 1_000, 1};
        for (int i = 0; i < 200_000; i++) {
            // Whole seconds, milliseconds, microseconds and nanoseconds: 0, 3, 6 and 9 fraction digits.
            int unit = nanosPrecision[i % nanosPrecision.length];
            Instant instant = Instant.ofEpochSecond(random.nextLong(first, last + 1),
                    unit == 1_000_000_000 ? 0 : random.nextInt(1_000_000_000 / unit) * unit);
            String text = instant.toString();
            assertThat(UtcInstants.parseOrNull(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T23:59:59Z", "1970-01-01T00:00:00.1Z", "1969-12-31T23:59:59.12Z",
            "2026-01-31T10:15:30.1234Z", "2026-01-31T10:15:30.123456789Z", "0000-01-01T00:00:00Z"})
    void readsEveryNumberOfFractionDigits(String text) {
        assertThat(UtcInstants.parseOrNull(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T10:15:30Z", "2026-13-01T10:15:30Z", "2026-01-31T24:00:00Z",
            "2026-01-31T23:59:60Z", "2026-01-31T10:60:30Z", "2026-01-3aT10:15:30Z", "2026-01-31 10:15:30Z",
            "2026-01-31T10:15:30.Z", "2026-01-31T10:15:30.1234567890Z", "2026-01-31T10:15:30+02:00",
            "2026-01-31t10:15:30z", "+12026-01-31T10:15:30Z", "2026-01-31T10:15Z", " 2026-01-31T10:15:30Z",
            "2026-01-31T10:15:30.12-Z", "not a time stamp at all!", ""})
    void declinesAnythingElse(String text) {
        assertThat(UtcInstants.parseOrNull(text)).isNull();
    }
}
