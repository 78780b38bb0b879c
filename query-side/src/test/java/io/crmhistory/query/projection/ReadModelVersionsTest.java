package io.crmhistory.query.projection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A read that gives up waiting for its version leaves nothing behind, whoever asks and for whichever customer. */
class ReadModelVersionsTest {

    private final ReadModelVersions versions = new ReadModelVersions(Duration.ofMillis(50));

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aWaitThatRunsOutLeavesNoSignalBehind() {
        for (int i = 0; i < 3; i++) {
            String customerId = "unknown-" + i;
            assertThatThrownBy(() -> versions.read("history", customerId, 7L, Optional::<Long>empty, Long::longValue))
                    .isInstanceOf(ReadModelBehindException.class);
        }

        assertThat(versions.waitingReads()).isZero();
    }

    @Test
    void anInterruptedWaitLeavesNoSignalBehind() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> versions.read("history", "unknown", 7L, Optional::<Long>empty, Long::longValue))
                .isInstanceOf(ReadModelBehindException.class);
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        assertThat(versions.waitingReads()).isZero();
    }

    @Test
    void aWaitIsStillWokenByTheBatchThatReachesItsVersion() throws Exception {
        ReadModelVersions patient = new ReadModelVersions(Duration.ofSeconds(10));
        AtomicLong stored = new AtomicLong(0);
        CompletableFuture<Optional<Long>> read = CompletableFuture.supplyAsync(() ->
                patient.read("history", "ada", 1L, () -> Optional.of(stored.get()), Long::longValue));
        while (patient.waitingReads() == 0) {
            Thread.onSpinWait();
        }

        stored.set(1);
        patient.reached("history", Map.of("ada", 1L), true);

        assertThat(read.get(5, TimeUnit.SECONDS)).contains(1L);
        assertThat(patient.waitingReads()).isZero();
    }
}
