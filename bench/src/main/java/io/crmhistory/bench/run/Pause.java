package io.crmhistory.bench.run;

import java.time.Duration;

/** Polling interval between checks of a condition on another process (never used to order work). */
final class Pause {

    private Pause() {
    }

    static void briefly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
