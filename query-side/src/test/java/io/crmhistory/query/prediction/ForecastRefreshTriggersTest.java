package io.crmhistory.query.prediction;

import io.crmhistory.query.projection.Projections;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forecasts on the directory's entries are made from the live value version's purchases: a value version being
 * rebuilt changes none of them until it goes live (then everyone is refreshed, its version being part of the basis),
 * while a directory version being rebuilt is kept current batch by batch, so it goes live with them.
 */
class ForecastRefreshTriggersTest {

    @Test
    void aBatchOfTheLiveValueVersionOrOfAnyDirectoryVersionIsFollowed() {
        assertThat(ForecastRefresh.follows(Projections.VALUE, true)).isTrue();
        assertThat(ForecastRefresh.follows(Projections.DIRECTORY, true)).isTrue();
        assertThat(ForecastRefresh.follows(Projections.DIRECTORY, false)).isTrue();
    }

    @Test
    void aBatchOfAValueVersionBeingRebuiltOrOfAnotherReadModelIsNot() {
        assertThat(ForecastRefresh.follows(Projections.VALUE, false)).isFalse();
        assertThat(ForecastRefresh.follows(Projections.SEGMENT, true)).isFalse();
        assertThat(ForecastRefresh.follows(Projections.HISTORY, true)).isFalse();
    }
}
