package io.crmhistory.platform.eventstore;

import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The direct read of Axon's stored shape gives Axon's instant, and anything else is Axon's parser's to answer. */
class StoredTimestampsTest {

    @Test
    void everyInstantAxonWritesReadsBackAsAxonReadsIt() {
        SplittableRandom random = new SplittableRandom(51);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(first, last + 1), random.nextInt(1_000_000_000));
            String stored = DateTimeUtils.formatInstant(instant);
            assertThat(StoredTimestamps.parse(stored)).as(stored).isEqualTo(DateTimeUtils.parseInstant(stored));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.001Z",
            "2026-12-31T00:00:00.000Z", "0001-01-01T00:00:00.000Z",
            // not the stored shape: Axon's parser reads them
            "2026-01-31T10:15:30Z", "2026-01-31T10:15:30.123456789Z", "2026-01-31T10:15:30.123+02:00",
            "2026-01-31t10:15:30.123z", "+12026-01-31T10:15:30.123Z"})
    void givesAxonsInstant(String stored) {
        assertThat(StoredTimestamps.parse(stored)).isEqualTo(DateTimeUtils.parseInstant(stored));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T10:15:30.123Z", "2026-13-01T10:15:30.123Z", "2026-01-31T24:00:00.000Z",
            "2026-01-31T10:60:30.123Z", "2026-01-31T10:15:60.123Z", "2026-01-3aT10:15:30.123Z",
            "2026-01-31 10:15:30.123Z", "2026-01-31T10:15:30.12-Z", "not a time stamp at all!", ""})
    void refusesWhatAxonRefuses(String stored) {
        assertThatThrownBy(() -> DateTimeUtils.parseInstant(stored)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> StoredTimestamps.parse(stored)).isInstanceOf(DateTimeParseException.class);
    }
}
