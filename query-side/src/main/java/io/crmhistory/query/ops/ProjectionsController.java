package io.crmhistory.query.ops;

import io.crmhistory.platform.web.OpenApiConventions;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModel;
import io.crmhistory.query.segment.SegmentReadModel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where every projection stands (role ops), as SPEC section 5 lists it: one row per live version (LIVE when
 * caught up, CATCHING_UP, or FAILED) and one per version being rebuilt beside it (REBUILDING or FAILED), with
 * the segment row carrying the progress of the last re-evaluation of every customer. Rebuilds are started
 * and cancelled here.
 */
@RestController
@Tag(name = "ops: projections", description = "Read models, their versions, progress and rebuilds (role ops)")
class ProjectionsController {


    private final ProjectionProcessors processors;
    private final ProjectionCatalog catalog;
    private final ProjectionMonitor monitor;
    private final Rebuilds rebuilds;
    private final SegmentReadModel segments;

    ProjectionsController(ProjectionProcessors processors, ProjectionCatalog catalog, ProjectionMonitor monitor,
                          Rebuilds rebuilds, SegmentReadModel segments) {
        this.processors = processors;
        this.catalog = catalog;
        this.monitor = monitor;
        this.rebuilds = rebuilds;
        this.segments = segments;
    }

    @Operation(summary = "Every read model's versions with their progress, lag and rate")
    @GetMapping("/api/ops/projections")
    List<ProjectionView> projections() {
        List<ProjectionView> views = new ArrayList<>();
        for (ReadModel<?> model : processors.readModels()) {
            views.addAll(views(model.name()));
        }
        return views;
    }

    @Operation(summary = "One read model's versions")
    @GetMapping("/api/ops/projections/{name}")
    List<ProjectionView> projection(@PathVariable String name) {
        rebuilds.readModel(name);
        return views(name);
    }

    @Operation(summary = "Rebuild a read model beside its live version, which serves reads until the new one takes over")
    @ApiResponse(responseCode = "202",
            description = "Started: the new version with its progress; Location names the read model")
    @ApiResponse(responseCode = "409", description = "A rebuild of this read model is running already",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = OpenApiConventions.PROBLEM_SCHEMA_REF)))
    @PostMapping(path = "/api/ops/projections/{name}/rebuild", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ProjectionView> rebuild(@PathVariable String name, Principal principal) {
        ProjectionVersion version = rebuilds.start(name, principal.getName());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/ops/projections/" + name))
                .body(view(monitor.status(version, ProjectionMonitor.Role.REBUILD)));
    }

    @Operation(summary = "Cancel a read model's running rebuild")
    @ApiResponse(responseCode = "200", description = "Cancelled: its version is retired and dropped after the grace")
    @ApiResponse(responseCode = "409", description = "The rebuild went live while being cancelled; it is the live version now",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = OpenApiConventions.PROBLEM_SCHEMA_REF)))
    @DeleteMapping(path = "/api/ops/projections/{name}/rebuild", produces = MediaType.APPLICATION_JSON_VALUE)
    ProjectionView cancel(@PathVariable String name, Principal principal) {
        ProjectionVersion cancelled = rebuilds.cancel(name, principal.getName());
        return new ProjectionView(name, cancelled.version(), "CANCELLED", -1, -1, 0, 0, 0, null, null, null, 0, null);
    }

    private List<ProjectionView> views(String name) {
        List<ProjectionView> views = new ArrayList<>();
        monitor.status(name, ProjectionMonitor.Role.LIVE).map(this::view).ifPresent(views::add);
        monitor.status(name, ProjectionMonitor.Role.REBUILD).map(this::view).ifPresent(views::add);
        return views;
    }

    private ProjectionView view(ProjectionMonitor.Status status) {
        String name = status.version().projection();
        String state = status.error() || !status.running() ? "FAILED"
                : status.role() == ProjectionMonitor.Role.REBUILD ? "REBUILDING"
                : status.lag() == 0 ? "LIVE" : "CATCHING_UP";
        String eta = status.lag() == 0 ? Duration.ZERO.toString()
                : status.eventsPerSecond() > 0
                ? Duration.ofSeconds((long) Math.ceil(status.lag() / status.eventsPerSecond())).toString() : null;
        ProjectionCatalog.Entry entry = catalog.entry(name);
        boolean rebuild = status.role() == ProjectionMonitor.Role.REBUILD;
        return new ProjectionView(name, status.version().version(), state, status.position(), status.head(),
                status.lag(), status.progress(), status.eventsPerSecond(), eta,
                rebuild ? entry.requestedBy() : null, rebuild ? entry.requestedAt() : null, monitor.deadLetters(status.version()),
                name.equals(segments.name()) && !rebuild ? segments.reevaluation().orElse(null) : null);
    }

    /**
     * {@code eta} is an ISO-8601 duration, absent while nothing is being processed and the projection is behind;
     * {@code requestedBy}/{@code requestedAt} name who started a rebuild; {@code reevaluation} is the segments'
     * last re-evaluation of every customer (after new rules, or the daily one), in this instance.
     */
    record ProjectionView(String name, int version, String status, long position, long headPosition, long lag,
                          double progress, double eventsPerSecond, String eta, String requestedBy, Instant requestedAt,
                          long deadLetters, SegmentReadModel.ReevaluationStatus reevaluation) {
    }
}
