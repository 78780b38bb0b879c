package io.crmhistory.query.projection;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The processors' settings are bound and checked when the query side starts, not when a rebuild starts one. */
class ProjectionSettingsTest {

    @EnableConfigurationProperties(ProjectionSettings.class)
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Settings.class);

    @Test
    void defaultsApplyWithNothingSet() {
        context.run(started -> assertThat(started.getBean(ProjectionSettings.class))
                .isEqualTo(new ProjectionSettings(500, 1024, Duration.ofSeconds(2), 8192, Duration.ofSeconds(10),
                        10_000, 1_000_000)));
    }

    @Test
    void aBatchSizeBelowOneStopsTheStart() {
        assertStartFails("crm.projections.batch-size=0", "on field 'batchSize'");
        assertStartFails("crm.projections.rebuild-batch-size=0", "on field 'rebuildBatchSize'");
        assertStarts("crm.projections.batch-size=1", "crm.projections.rebuild-batch-size=1");
    }

    @Test
    void aTokenClaimIntervalBelowAMillisecondOrANegativeGraceStopsTheStart() {
        assertStartFails("crm.projections.token-claim-interval=0s", "on field 'tokenClaimInterval'");
        assertStartFails("crm.projections.retire-grace=-1s", "on field 'retireGrace'");
        assertStarts("crm.projections.token-claim-interval=1ms", "crm.projections.retire-grace=0s");
    }

    @Test
    void aSharedWindowTooSmallStopsTheStartButZeroTurnsItOff() {
        assertStartFails("crm.projections.shared-window=10", "shared window of 10 events");
        context.withPropertyValues("crm.projections.shared-window=0").run(started ->
                assertThat(started.getBean(ProjectionSettings.class).sharedWindow()).isZero());
    }

    private void assertStarts(String... properties) {
        context.withPropertyValues(properties).run(started -> assertThat(started).hasNotFailed());
    }

    private void assertStartFails(String property, String because) {
        context.withPropertyValues(property).run(started ->
                assertThat(started).hasFailed().getFailure().rootCause().hasMessageContaining(because));
    }
}
