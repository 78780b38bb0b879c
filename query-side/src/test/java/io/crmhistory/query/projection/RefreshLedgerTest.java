package io.crmhistory.query.projection;

import io.crmhistory.platform.testing.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger tells a starting (or running) instance whether the figures a background refresh keeps can be trusted:
 * only after a completed full refresh from the same basis, and only while no instance of the refresh stopped with
 * work owed or crashed. Instances are ledgers of the same refresh on one store.
 */
class RefreshLedgerTest {

    private static final Duration BEAT = Duration.ofSeconds(10);
    private static final Duration STALE = Duration.ofSeconds(60);

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T09:00:00Z"));
    private InProcessMongo store;
    private MongoTemplate mongo;

    @BeforeEach
    void start() {
        store = new InProcessMongo();
        mongo = store.template();
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private RefreshLedger instance() {
        return new RefreshLedger(mongo, "directory-segments", clock, BEAT, STALE);
    }

    /** One look a heartbeat later than the last, as the owner's schedule makes it. */
    private Set<String> nextLook(RefreshLedger ledger) {
        clock.advance(BEAT);
        return ledger.beatAndFindAbandoned();
    }

    @Test
    void aStoreNeverFullyRefreshedHasNoBasisAndACompletedFullRefreshIsRemembered() {
        assertThat(instance().open()).isEmpty();

        RefreshLedger first = instance();
        first.open();
        first.fullyRefreshed("1/1", Instant.parse("2026-12-03T08:00:00Z"), Set.of());
        first.fullyRefreshed("2/1", Instant.parse("2026-12-03T08:30:00Z"), Set.of());

        assertThat(instance().open()).contains(new RefreshLedger.Basis("2/1", Instant.parse("2026-12-03T08:30:00Z")));
    }

    @Test
    void aCleanStopLeavesNothingForTheNextStartToRepair() {
        RefreshLedger before = instance();
        before.open();
        before.beatAndFindAbandoned();
        before.close(true);

        RefreshLedger after = instance();
        after.open();
        clock.advance(STALE.multipliedBy(3));
        assertThat(after.beatAndFindAbandoned()).isEmpty();
        assertThat(nextLook(after)).isEmpty();
    }

    @Test
    void aSessionIsWrittenWhenOpenedSoThatACrashBeforeTheFirstLookIsFound() {
        RefreshLedger crashed = instance();
        crashed.open();
        // no look, no close: the process died right after it opened the session

        RefreshLedger next = instance();
        next.open();
        clock.advance(STALE.plus(BEAT));
        assertThat(next.beatAndFindAbandoned()).hasSize(1);
    }

    @Test
    void aStopWithWorkOwedIsFoundAtOnce() {
        RefreshLedger before = instance();
        before.open();
        before.beatAndFindAbandoned();
        before.close(false);

        RefreshLedger after = instance();
        after.open();
        assertThat(after.beatAndFindAbandoned()).hasSize(1);
    }

    @Test
    void aCrashIsFoundOnceItsHeartbeatIsStaleAndOnlyThen() {
        RefreshLedger crashed = instance();
        crashed.open();
        crashed.beatAndFindAbandoned();
        // no close: the process died

        RefreshLedger survivor = instance();
        survivor.open();
        assertThat(survivor.beatAndFindAbandoned()).as("a heartbeat just beaten is not stale").isEmpty();
        for (int looks = 0; looks < STALE.dividedBy(BEAT); looks++) {
            assertThat(nextLook(survivor)).as("%s s after the last beat", (looks + 1) * BEAT.toSeconds()).isEmpty();
        }
        Set<String> abandoned = nextLook(survivor);
        assertThat(abandoned).hasSize(1);
        assertThat(nextLook(survivor)).as("handed out once while its full refresh runs").isEmpty();
        survivor.handOutAgain();
        assertThat(nextLook(survivor)).as("again after that refresh failed").isEqualTo(abandoned);

        survivor.fullyRefreshed("1/1", clock.instant(), abandoned);
        assertThat(nextLook(survivor)).as("repaired by the full refresh").isEmpty();
        assertThat(instance().open()).map(RefreshLedger.Basis::basis).contains("1/1");
    }

    @Test
    void liveInstancesBeatingOnTimeAreNeverTakenForCrashedNorIsOnesOwnSession() {
        RefreshLedger one = instance();
        RefreshLedger other = instance();
        one.open();
        other.open();
        for (int looks = 0; looks < 20; looks++) {
            clock.advance(BEAT);
            assertThat(one.beatAndFindAbandoned()).isEmpty();
            assertThat(other.beatAndFindAbandoned()).isEmpty();
        }
        one.close(false);
        clock.advance(BEAT);
        assertThat(other.beatAndFindAbandoned()).hasSize(1);
    }

    @Test
    void anInstanceTakenForCrashedDuringALongPauseComesBackAtItsNextBeat() {
        RefreshLedger paused = instance();
        RefreshLedger other = instance();
        paused.open();
        other.open();
        paused.beatAndFindAbandoned();
        other.beatAndFindAbandoned();
        clock.advance(STALE.plus(BEAT));
        Set<String> abandoned = other.beatAndFindAbandoned();
        assertThat(abandoned).hasSize(1);
        other.fullyRefreshed("1/1", clock.instant(), abandoned);

        paused.beatAndFindAbandoned();
        paused.close(false);
        assertThat(nextLook(other)).as("its session is back, and left with work owed").hasSize(1);
    }

    @Test
    void aSessionDismissedWithNothingToRepairIsGone() {
        RefreshLedger crashed = instance();
        crashed.open();
        crashed.close(false);

        RefreshLedger next = instance();
        next.open();
        Set<String> abandoned = next.beatAndFindAbandoned();
        assertThat(abandoned).hasSize(1);
        next.dismiss(abandoned);
        next.handOutAgain();
        assertThat(nextLook(next)).isEmpty();
        assertThat(instance().open()).as("no full refresh recorded").isEmpty();
    }

    @Test
    void otherRefreshesSessionsAreNotThisOnes() {
        RefreshLedger forecasts = new RefreshLedger(mongo, "forecast-refresh", clock, BEAT, STALE);
        forecasts.open();
        forecasts.beatAndFindAbandoned();
        forecasts.close(false);

        RefreshLedger segments = instance();
        segments.open();
        assertThat(segments.beatAndFindAbandoned()).isEmpty();
    }

    @Test
    void anUnavailableStoreMakesALookFindNothingRatherThanFailTheOwnersRound() {
        RefreshLedger ledger = instance();
        ledger.open();
        store.stopServer();

        assertThat(ledger.beatAndFindAbandoned()).isEmpty();
    }

    @Test
    void aHeartbeatTooCloseToTheStaleLimitIsRefused() {
        assertThatThrownBy(() -> new RefreshLedger(mongo, "directory-segments", clock, Duration.ofSeconds(40), STALE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }
}
