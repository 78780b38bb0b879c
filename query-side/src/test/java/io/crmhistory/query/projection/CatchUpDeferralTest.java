package io.crmhistory.query.projection;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Work skipped while catching up is owed once afterwards: for the customers skipped, or for everyone past the limit. */
class CatchUpDeferralTest {

    private final AtomicBoolean catchingUp = new AtomicBoolean(true);

    @Test
    void theCustomersSkippedWhileCatchingUpAreOwedOnceItHasCaughtUp() {
        CatchUpDeferral deferral = new CatchUpDeferral(catchingUp::get, 10);

        assertThat(deferral.defer(Set.of("c-1", "c-2"))).isTrue();
        assertThat(deferral.defer(Set.of("c-2", "c-3"))).isTrue();
        assertThat(deferral.caughtUpAfterDeferring()).isEqualTo(CatchUpDeferral.Owed.NOTHING);

        catchingUp.set(false);
        assertThat(deferral.defer(Set.of("c-4"))).isFalse();
        assertThat(deferral.caughtUpAfterDeferring()).isEqualTo(new CatchUpDeferral.Owed(false, Set.of("c-1", "c-2", "c-3")));
        assertThat(deferral.caughtUpAfterDeferring()).isEqualTo(CatchUpDeferral.Owed.NOTHING);
    }

    @Test
    void moreCustomersThanItRemembersAreOwedAsEveryone() {
        CatchUpDeferral deferral = new CatchUpDeferral(catchingUp::get, 2);

        deferral.defer(Set.of("c-1", "c-2"));
        deferral.defer(Set.of("c-3"));
        deferral.defer(Set.of("c-4"));
        catchingUp.set(false);

        assertThat(deferral.caughtUpAfterDeferring()).isEqualTo(CatchUpDeferral.Owed.EVERYONE);
        assertThat(deferral.caughtUpAfterDeferring()).isEqualTo(CatchUpDeferral.Owed.NOTHING);

        catchingUp.set(true);
        deferral.defer(Set.of("c-5"));
        catchingUp.set(false);
        assertThat(deferral.caughtUpAfterDeferring().customers()).containsExactly("c-5");
    }

    @Test
    void aStopTakesWhatWasDeferredEvenWhileTheProjectionsStillLookBehind() {
        CatchUpDeferral deferral = new CatchUpDeferral(catchingUp::get, 2);
        deferral.defer(Set.of("c-1"));

        assertThat(deferral.takeAll()).isEqualTo(new CatchUpDeferral.Owed(false, Set.of("c-1")));
        assertThat(deferral.takeAll().customers()).isEmpty();

        deferral.defer(Set.of("c-1", "c-2", "c-3"));
        assertThat(deferral.takeAll()).isEqualTo(CatchUpDeferral.Owed.EVERYONE);
        catchingUp.set(false);
        assertThat(deferral.caughtUpAfterDeferring()).isEqualTo(CatchUpDeferral.Owed.NOTHING);
    }
}
