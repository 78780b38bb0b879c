package io.crmhistory.query.segment;

import io.crmhistory.query.prediction.Forecasts;
import io.crmhistory.query.prediction.ValueModels;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.InProcessMongo;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionSettings;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The daily run assesses a version being rebuilt too, at the same instant as the live one. */
class DailyReevaluationTest {

    private static final Instant TWO_AM = Instant.parse("2026-03-01T02:00:00Z");

    private final InProcessMongo mongo = new InProcessMongo();

    @AfterEach
    void close() {
        mongo.close();
    }

    @Test
    void theDailyRunReassessesTheLiveVersionAndTheOneBeingRebuilt() {
        ProjectionCatalog catalog = mock(ProjectionCatalog.class);
        when(catalog.live(Projections.SEGMENT)).thenReturn(1);
        when(catalog.entry(Projections.SEGMENT)).thenReturn(new ProjectionCatalog.Entry(Projections.SEGMENT, 1, 2, 2,
                "ops", TWO_AM.minusSeconds(3600), List.of()));
        SegmentReadModel segments = new SegmentReadModel(catalog, mongo.template(), new FxRates("EUR", Map.of()),
                Clock.fixed(TWO_AM, ZoneOffset.UTC), new ReadModelVersions(Duration.ofSeconds(1)),
                SimpleQueryUpdateEmitter.builder().build(), mock(Forecasts.class), mock(ValueModels.class),
                new ProjectionSettings(500, 1024, Duration.ofSeconds(2), 8192, Duration.ofSeconds(10),
                        10_000, 1_000_000));

        segments.daily();

        for (int version : new int[] {1, 2}) {
            SegmentStore store = segments.store(new ProjectionVersion(Projections.SEGMENT, version));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(store.lastReevaluation())
                    .satisfies(run -> {
                        assertThat(run.cause()).as("version %s", version).isEqualTo(SegmentChange.TIME);
                        assertThat(run.at()).isEqualTo(TWO_AM);
                        assertThat(run.finished()).isTrue();
                    }));
        }
    }
}
