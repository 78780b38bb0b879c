package io.crmhistory.query.projection;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a background refresh tells its owner: the customers queued since its last run, coalesced; a failed run once
 * (its customers are lost, so the owner refreshes everyone); and at a stop whether everything queued was done.
 */
class BackgroundRefreshTest {

    @Test
    void customersQueuedWhileARunIsBusyAreRefreshedTogetherInTheNext() throws InterruptedException {
        BackgroundRefresh refresh = new BackgroundRefresh("test");
        CountDownLatch release = new CountDownLatch(1);
        refresh.runFull(() -> awaitLatch(release));
        List<List<String>> runs = new CopyOnWriteArrayList<>();
        refresh.customers(Set.of("c-1"), runs::add);
        refresh.customers(Set.of("c-2"), runs::add);
        assertThat(refresh.queued()).isEqualTo(3);
        release.countDown();

        assertThat(refresh.finish(Duration.ofSeconds(10))).isTrue();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0)).containsExactlyInAnyOrder("c-1", "c-2");
        assertThat(refresh.queued()).isZero();
        assertThat(refresh.fullRuns()).isEqualTo(1);
    }

    @Test
    void aFailedRunIsToldOnceAndMakesTheStopUnclean() {
        BackgroundRefresh refresh = new BackgroundRefresh("test");
        refresh.customers(Set.of("c-1"), customers -> {
            throw new IllegalStateException("store unavailable");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> refresh.queued() == 0);

        assertThat(refresh.lastFailure()).contains("store unavailable");
        assertThat(refresh.finish(Duration.ofSeconds(10))).as("its customers were lost").isFalse();
        assertThat(refresh.takeFailure()).isTrue();
        assertThat(refresh.takeFailure()).isFalse();
    }

    @Test
    void aStopThatCannotWaitForTheRunningRefreshIsUnclean() {
        BackgroundRefresh refresh = new BackgroundRefresh("test");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        refresh.runFull(() -> {
            started.countDown();
            awaitLatch(release);
        });
        awaitLatch(started);
        assertThat(refresh.runningFor()).isPositive();

        assertThat(refresh.finish(Duration.ofMillis(100))).isFalse();
        release.countDown();
    }

    @Test
    void workOfferedAfterTheStopIsRefusedAndMakesItUnclean() {
        BackgroundRefresh refresh = new BackgroundRefresh("test");
        assertThat(refresh.finish(Duration.ofSeconds(1))).isTrue();
        refresh.customers(Set.of("c-1"), customers -> { });
        assertThat(refresh.takeFailure()).isTrue();
        assertThat(refresh.queued()).isZero();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
