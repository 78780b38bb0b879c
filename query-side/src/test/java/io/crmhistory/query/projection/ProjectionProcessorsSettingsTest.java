package io.crmhistory.query.projection;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batch sizes are checked when the query side starts, not when the first rebuild starts its processor. */
class ProjectionProcessorsSettingsTest {

    @Test
    void aBatchSizeBelowOneIsRefusedAtStartUp() {
        assertThatThrownBy(() -> processors(0, 2000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crm.projections.batch-size must be at least 1, was 0");
        assertThatThrownBy(() -> processors(500, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crm.projections.rebuild-batch-size must be at least 1, was 0");
        assertThatCode(() -> processors(1, 1)).doesNotThrowAnyException();
    }

    private static ProjectionProcessors processors(int batchSize, int rebuildBatchSize) {
        return new ProjectionProcessors(List.of(), null, null, null, null, null, null, batchSize, rebuildBatchSize,
                Duration.ofSeconds(2), 8192);
    }
}
