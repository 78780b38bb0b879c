package io.crmhistory.query.ops;

import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModel;
import io.crmhistory.query.segment.SegmentReadModel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each read-model version stands: its processor's position in the event stream, the head of the
 * store, the lag between them, the events per second it is getting through (sampled every few seconds) and
 * its dead letters. Published as gauges {@code crm.projection.position}, {@code .lag}, {@code .progress},
 * {@code .events.per.second} and {@code .version} (tags {@code projection} and {@code role}: {@code live}, or
 * {@code rebuild} for the version being built beside it; NaN while there is none), {@code crm.projection.head}
 * and {@code crm.projection.dead.letters}, and {@code crm.segment.reevaluation.progress}; answered by {@code GET /api/ops/projections} and read by the
 * health indicator.
 */
@Component
public class ProjectionMonitor {

    /** How long a read of the store's head is reused (it is one query against the event store). */
    private static final long HEAD_CACHE_NANOS = 1_000_000_000L;

    public enum Role { LIVE, REBUILD }

    /** The state of one version of a projection, as the health indicator and operators see it. */
    public record Status(ProjectionVersion version, Role role, boolean running, boolean caughtUp, boolean error,
                         String errorMessage, long position, long head, long lag, double eventsPerSecond) {

        public double progress() {
            return ProjectionMonitor.progress(position, head);
        }
    }

    private final ProjectionProcessors processors;
    private final ProjectionCatalog catalog;
    private final EventStore eventStore;
    private final StoredPositions storedPositions;
    private final Map<String, Rate> rates = new ConcurrentHashMap<>();
    private volatile long headPosition = -1;
    private volatile long headReadAt;

    ProjectionMonitor(ProjectionProcessors processors, ProjectionCatalog catalog, EventStore eventStore,
                      StoredPositions storedPositions, MeterRegistry registry, SegmentReadModel segments) {
        this.processors = processors;
        this.catalog = catalog;
        this.eventStore = eventStore;
        this.storedPositions = storedPositions;
        Gauge.builder("crm.segment.reevaluation.progress", segments,
                        model -> model.reevaluation().map(SegmentReadModel.ReevaluationStatus::progress).orElse(Double.NaN))
                .description("Share of the customers the last re-evaluation of every segment has evaluated, 0 to 1")
                .register(registry);
        for (ReadModel<?> model : processors.readModels()) {
            String projection = model.name();
            Gauge.builder("crm.projection.head", this, ProjectionMonitor::head)
                    .tag("projection", projection).description("Global index of the newest event in the store")
                    .register(registry);
            Gauge.builder("crm.projection.dead.letters", this,
                            monitor -> monitor.deadLetters(new ProjectionVersion(projection, catalog.live(projection))))
                    .tag("projection", projection)
                    .description("Events of the live version waiting in its dead-letter queue")
                    .register(registry);
            for (Role role : Role.values()) {
                gauge(registry, "crm.projection.version", projection, role, "Version number of the read model",
                        status -> status.version().version());
                gauge(registry, "crm.projection.position", projection, role,
                        "Global index of the last event the projection processed", Status::position);
                gauge(registry, "crm.projection.lag", projection, role,
                        "Events in the store the projection has not processed yet", Status::lag);
                gauge(registry, "crm.projection.progress", projection, role,
                        "Share of the store's events the projection has processed, 0 to 1", Status::progress);
                gauge(registry, "crm.projection.events.per.second", projection, role,
                        "Events processed per second, over the last sample", Status::eventsPerSecond);
            }
        }
    }

    private void gauge(MeterRegistry registry, String name, String projection, Role role, String description,
                       java.util.function.ToDoubleFunction<Status> figure) {
        Gauge.builder(name, this, monitor -> monitor.status(projection, role).map(figure::applyAsDouble)
                        .orElse(Double.NaN))
                .tag("projection", projection).tag("role", role.name().toLowerCase()).description(description)
                .register(registry);
    }

    /** The live version's status, or the rebuilt version's while a rebuild runs (empty when none runs). */
    public Optional<Status> status(String projection, Role role) {
        ProjectionCatalog.Entry entry = catalog.entry(projection);
        if (role == Role.LIVE) {
            return Optional.of(status(new ProjectionVersion(projection, entry.live()), role));
        }
        return entry.rebuildingVersion().map(version -> status(version, role));
    }

    public Status status(ProjectionVersion version, Role role) {
        Optional<ProjectionProcessors.Running> running = processors.running(version);
        long head = head();
        Map<Integer, EventTrackerStatus> segments = running.map(r -> r.processor().processingStatus()).orElse(Map.of());
        Optional<EventTrackerStatus> failed = segments.values().stream().filter(EventTrackerStatus::isErrorState).findFirst();
        long position = position(version, segments).orElse(-1);
        // The head is read at most once a second; a projection can be past that reading, never past the store.
        head = Math.max(head, position);
        boolean isRunning = running.map(r -> r.processor().isRunning()).orElse(false);
        boolean caughtUp = !segments.isEmpty() && segments.values().stream().allMatch(EventTrackerStatus::isCaughtUp);
        return new Status(version, role, isRunning, caughtUp,
                failed.isPresent() || running.map(r -> r.processor().isError()).orElse(false),
                failed.map(status -> String.valueOf(status.getError())).orElse(null),
                position, head, head < 0 ? 0 : head - position, rate(version).perSecond);
    }

    /** Events of the version waiting in its dead-letter queue: one count in MongoDB, so asked for only where shown. */
    public long deadLetters(ProjectionVersion version) {
        return processors.running(version).map(running -> running.deadLetters().size()).orElse(0L);
    }

    /** Samples positions for the events-per-second figures. */
    @Scheduled(fixedRateString = "${crm.projections.rate-sample-interval:5000}")
    void sample() {
        long now = System.nanoTime();
        for (ReadModel<?> model : processors.readModels()) {
            ProjectionCatalog.Entry entry = catalog.entry(model.name());
            sample(new ProjectionVersion(model.name(), entry.live()), now);
            entry.rebuildingVersion().ifPresent(version -> sample(version, now));
        }
    }

    private void sample(ProjectionVersion version, long now) {
        processors.running(version).ifPresent(running -> position(version, running.processor().processingStatus())
                .ifPresent(position -> rate(version).sample(position, now)));
    }

    /** Events processed over events in the store (global indexes start at 0); 1 for an empty store. */
    static double progress(long position, long head) {
        if (head < 0) {
            return 1;
        }
        return Math.min(1, Math.max(0, (position + 1) / (double) (head + 1)));
    }

    /**
     * The position of the segments this instance processes; with none claimed here (another instance processes them
     * all), the position that instance stored with its tokens.
     */
    private OptionalLong position(ProjectionVersion version, Map<Integer, EventTrackerStatus> segments) {
        if (segments.isEmpty()) {
            return storedPositions.position(version);
        }
        return segments.values().stream()
                .map(EventTrackerStatus::getTrackingToken)
                .filter(Objects::nonNull)
                .map(TrackingToken::position)
                .filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong)
                .max();
    }

    long head() {
        long now = System.nanoTime();
        if (now - headReadAt > HEAD_CACHE_NANOS) {
            TrackingToken token = eventStore.createHeadToken();
            headPosition = token == null ? -1 : token.position().orElse(-1);
            headReadAt = now;
        }
        return headPosition;
    }

    /** The store's head, read now (for deciding that a rebuild has caught up). */
    long freshHead() {
        headReadAt = 0;
        return head();
    }

    private Rate rate(ProjectionVersion version) {
        return rates.computeIfAbsent(version.processorName(), name -> new Rate());
    }

    private static final class Rate {

        private long lastPosition = -1;
        private long lastAt;
        private volatile double perSecond;

        synchronized void sample(long position, long at) {
            if (lastPosition >= 0 && at > lastAt) {
                perSecond = Math.max(0, position - lastPosition) * 1_000_000_000.0 / (at - lastAt);
            }
            lastPosition = position;
            lastAt = at;
        }
    }
}
