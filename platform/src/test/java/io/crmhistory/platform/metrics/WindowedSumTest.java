package io.crmhistory.platform.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WindowedSumTest {

    /** A window of 10 ns in 10 buckets of 1 ns keeps the arithmetic visible. */
    private final WindowedSum sum = new WindowedSum(10, 10);

    @Test
    void dividesWhatWasAddedByTheTimeTheBucketsCover() {
        sum.add(100, 5);
        sum.add(105, 5);
        // at 109 the buckets 100..109 are in the window: nine whole ones and the newest, just begun
        assertThat(sum.ratePerNano(109)).isCloseTo(10 / 9.0, within(1e-9));
    }

    @Test
    void forgetsWhatLeftTheWindow() {
        sum.add(100, 7);
        sum.add(112, 3);
        assertThat(sum.ratePerNano(112)).isCloseTo(3 / 9.0, within(1e-9));
        assertThat(sum.ratePerNano(122)).isZero();
    }

    @Test
    void aBucketUsedAgainStartsFromNothing() {
        sum.add(3, 50);
        sum.add(13, 1); // the same slot of the ring, one window later
        assertThat(sum.ratePerNano(13)).isCloseTo(1 / 9.0, within(1e-9));
    }

    @Test
    void worksAcrossNegativeClockValues() {
        sum.add(-3, 4);
        sum.add(2, 4);
        assertThat(sum.ratePerNano(2)).isCloseTo(8 / 9.0, within(1e-9));
    }

    @Test
    void refusesAWindowTooSmallForItsBuckets() {
        assertThatThrownBy(() -> new WindowedSum(5, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
