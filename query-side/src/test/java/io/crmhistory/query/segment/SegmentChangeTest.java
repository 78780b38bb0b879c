package io.crmhistory.query.segment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentChangeTest {

    @Test
    void aTimelineKeyPadsTheSequenceToNineteenDigits() {
        assertThat(SegmentChange.timelineKey("c-1", 0)).isEqualTo("c-1/0000000000000000000");
        assertThat(SegmentChange.timelineKey("c-1", 42)).isEqualTo("c-1/0000000000000000042");
        assertThat(SegmentChange.timelineKey("c-1", Long.MAX_VALUE)).isEqualTo("c-1/9223372036854775807");
        assertThat(SegmentChange.timelineKey("c-1", -1)).as("before the first event").isEqualTo("c-1/0000000000000000000");
    }

    /** Ids stored before the keys were padded by hand were made with String.format: both must be the same. */
    @Test
    void aTimelineKeyIsTheKeyStoredBefore() {
        Random random = new Random(7);
        List<Long> sequences = new ArrayList<>(List.of(1L, 9L, 10L, 999_999L, 1_000_000_000_000_000_000L));
        random.longs(200, 0, Long.MAX_VALUE).forEach(sequences::add);
        for (long sequence : sequences) {
            assertThat(SegmentChange.timelineKey("customer-9", sequence))
                    .isEqualTo("customer-9/" + String.format(Locale.ROOT, "%019d", sequence));
        }
    }

    @Test
    void timelineKeysSortAsTheirSequences() {
        assertThat(SegmentChange.timelineKey("c", 9)).isLessThan(SegmentChange.timelineKey("c", 10));
        assertThat(SegmentChange.timelineKey("c", 99_999)).isLessThan(SegmentChange.timelineKey("c", 100_000));
    }
}
