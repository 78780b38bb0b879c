package io.crmhistory.query.ops;

import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModel;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class ProjectionsHealthIndicatorTest {

    private final ProjectionProcessors processors = mock(ProjectionProcessors.class);
    private final ProjectionMonitor monitor = mock(ProjectionMonitor.class);
    private final ProjectionCatalog catalog = mock(ProjectionCatalog.class);
    private final List<ReadModel<?>> models = new ArrayList<>();

    @Test
    void listsTheReplacedVersionsNotDroppedYet() {
        readModel("history", 3, List.of(new ProjectionCatalog.Retired(1, Instant.EPOCH),
                new ProjectionCatalog.Retired(2, Instant.EPOCH)));
        readModel("value", 1, List.of());
        when(processors.readModels()).thenReturn(models);

        Health health = new ProjectionsHealthIndicator(processors, monitor, catalog).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(details(health, "history")).containsEntry("version", 3).containsEntry("retired", List.of(1, 2));
        assertThat(details(health, "value")).containsEntry("retired", List.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Health health, String projection) {
        return (Map<String, Object>) health.getDetails().get(projection);
    }

    private void readModel(String name, int live, List<ProjectionCatalog.Retired> retired) {
        ReadModel<?> model = mock(ReadModel.class);
        when(model.name()).thenReturn(name);
        models.add(model);
        ProjectionVersion version = new ProjectionVersion(name, live);
        when(monitor.status(name, ProjectionMonitor.Role.LIVE)).thenReturn(Optional.of(new ProjectionMonitor.Status(
                version, ProjectionMonitor.Role.LIVE, true, true, false, null, 10, 10, 0, 0)));
        when(monitor.status(name, ProjectionMonitor.Role.REBUILD)).thenReturn(Optional.empty());
        when(catalog.entry(name)).thenReturn(new ProjectionCatalog.Entry(name, live, null, live, null, null, retired));
    }
}
