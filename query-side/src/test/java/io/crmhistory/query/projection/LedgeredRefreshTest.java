package io.crmhistory.query.projection;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When a kept figure's refresh refreshes everyone and when only the customers of committed batches: instances are
 * refreshes of one name on one store, started and stopped as a query side would.
 */
class LedgeredRefreshTest {

    private final AtomicBoolean catchingUp = new AtomicBoolean(false);
    private final List<String> fullRuns = new CopyOnWriteArrayList<>();
    private final List<List<String>> customerRuns = new CopyOnWriteArrayList<>();
    private InProcessMongo store;
    private BackgroundRefreshes refreshes;

    @BeforeEach
    void start() {
        store = new InProcessMongo();
        refreshes = new BackgroundRefreshes(store.template(), new SimpleMeterRegistry(),
                Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private LedgeredRefresh instance() {
        return new LedgeredRefresh(refreshes, "segments", new CatchUpDeferral(catchingUp::get, 100),
                Duration.ofSeconds(10), customerRuns::add, basis -> true);
    }

    /** One round with {@code basis}; a full refresh records itself done, as the owners' do. */
    private void round(LedgeredRefresh refresh, String basis) {
        refresh.check(basis, (reason, repaired) -> {
            fullRuns.add(reason);
            refresh.fullyRefreshed(basis, Instant.parse("2026-12-03T10:00:00Z"), repaired);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> refreshes.all().stream().allMatch(r -> r.queued() == 0));
    }

    @Test
    void everyoneOnceOnAStoreNeverFullyRefreshedAndAgainWhenTheBasisMoves() {
        LedgeredRefresh refresh = instance();
        round(refresh, "1/1");
        round(refresh, "1/1");
        round(refresh, "2/1");

        assertThat(fullRuns).containsExactly("last fully refreshed from none", "last fully refreshed from 1/1");
    }

    @Test
    void aCleanStopLetsTheNextStartRefreshNoOneAndAStopDuringACatchUpRefreshesWhatItDeferred() {
        LedgeredRefresh first = instance();
        round(first, "1/1");
        catchingUp.set(true);
        first.committed(Set.of("c-1", "c-2"));
        assertThat(customerRuns).as("deferred while catching up").isEmpty();
        first.stop();
        assertThat(customerRuns).hasSize(1);
        assertThat(customerRuns.get(0)).containsExactlyInAnyOrder("c-1", "c-2");

        catchingUp.set(false);
        fullRuns.clear();
        round(instance(), "1/1");
        assertThat(fullRuns).isEmpty();
    }

    @Test
    void aStopWithMoreDeferredThanRememberedMakesTheNextStartRefreshEveryone() {
        LedgeredRefresh first = new LedgeredRefresh(refreshes, "segments", new CatchUpDeferral(catchingUp::get, 1),
                Duration.ofSeconds(10), customerRuns::add, basis -> true);
        round(first, "1/1");
        catchingUp.set(true);
        first.committed(Set.of("c-1", "c-2"));
        first.stop();

        catchingUp.set(false);
        fullRuns.clear();
        round(instance(), "1/1");
        assertThat(fullRuns).hasSize(1);
        assertThat(fullRuns.get(0)).startsWith("instances stopped with refreshes owed");
    }

    @Test
    void aFailedCustomersRunIsFollowedByAFullRefresh() {
        LedgeredRefresh refresh = new LedgeredRefresh(refreshes, "segments", new CatchUpDeferral(catchingUp::get, 100),
                Duration.ofSeconds(10), customers -> {
                    throw new IllegalStateException("store unavailable");
                }, basis -> true);
        round(refresh, "1/1");
        refresh.committed(Set.of("c-1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> refreshes.all().get(0).lastFailure() != null);

        round(refresh, "1/1");
        assertThat(fullRuns).containsExactly("last fully refreshed from none", "a refresh failed");
    }

    @Test
    void aBasisNoLongerGoodAtTheStartIsRefreshedFromAgain() {
        round(instance(), "1/1");
        fullRuns.clear();

        LedgeredRefresh afterADayMissed = new LedgeredRefresh(refreshes, "segments",
                new CatchUpDeferral(catchingUp::get, 100), Duration.ofSeconds(10), customerRuns::add, basis -> false);
        round(afterADayMissed, "1/1");
        assertThat(fullRuns).containsExactly("last fully refreshed from none");
    }

    @Test
    void withNothingToKeepAnAbandonedSessionIsDismissedWithoutAFullRefresh() {
        LedgeredRefresh first = new LedgeredRefresh(refreshes, "segments", new CatchUpDeferral(catchingUp::get, 1),
                Duration.ofSeconds(10), customerRuns::add, basis -> true);
        catchingUp.set(true);
        first.committed(Set.of("c-1", "c-2"));
        first.stop();
        catchingUp.set(false);

        round(instance(), null);
        assertThat(fullRuns).isEmpty();
        RefreshLedger look = refreshes.ledger("segments");
        look.open();
        assertThat(look.beatAndFindAbandoned()).as("the abandoned session is gone").isEmpty();
    }
}
