package io.crmhistory.platform.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CorrelationIdFilterTest {

    @Test
    void keepsAValidClientId() {
        assertThat(CorrelationIdFilter.correlationIdOf("batch-7:line.12")).isEqualTo("batch-7:line.12");
    }

    @Test
    void replacesMissingOverlongOrUnsafeIdsWithAUuid() {
        for (String bad : new String[]{null, "", "x".repeat(65), "a b", "<script>", "line\nbreak"}) {
            assertThat(CorrelationIdFilter.correlationIdOf(bad))
                    .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        }
    }
}
