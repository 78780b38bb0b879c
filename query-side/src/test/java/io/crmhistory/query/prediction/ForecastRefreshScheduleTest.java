package io.crmhistory.query.prediction;

import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.CronExpression;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A start trusts the stored forecasts only when no daily refresh fell due since the last full one: a forecast moves
 * with time alone, and a query side stopped over 02:30 UTC missed that day's.
 */
class ForecastRefreshScheduleTest {

    private static final CronExpression DAILY = CronExpression.parse("0 30 2 * * *");

    @Test
    void aStartBeforeTheNextDailyRefreshTrustsTheLastOne() {
        assertThat(ForecastRefresh.dailyMissed(DAILY, Instant.parse("2026-12-03T02:30:05Z"),
                Instant.parse("2026-12-04T02:29:59Z"))).isFalse();
        assertThat(ForecastRefresh.dailyMissed(DAILY, Instant.parse("2026-12-03T10:00:00Z"),
                Instant.parse("2026-12-03T23:00:00Z"))).isFalse();
    }

    @Test
    void aStartAfterADailyRefreshFellDueRefreshesEveryone() {
        assertThat(ForecastRefresh.dailyMissed(DAILY, Instant.parse("2026-12-03T02:30:05Z"),
                Instant.parse("2026-12-04T02:30:00Z"))).isTrue();
        assertThat(ForecastRefresh.dailyMissed(DAILY, Instant.parse("2026-12-03T01:00:00Z"),
                Instant.parse("2026-12-03T03:00:00Z"))).as("the same day, before and after 02:30").isTrue();
        assertThat(ForecastRefresh.dailyMissed(DAILY, Instant.parse("2026-11-20T12:00:00Z"),
                Instant.parse("2026-12-03T01:00:00Z"))).isTrue();
    }
}
