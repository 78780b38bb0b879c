package io.crmhistory.query.ops;

import io.crmhistory.platform.concurrent.DaemonThreads;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.FieldProblem;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.ProjectionSettings;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModel;
import io.crmhistory.query.projection.RebuildConflictException;
import io.crmhistory.query.projection.RebuildFinishedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Rebuilds a read model beside the live one. Starting one records the next version in the catalog and
 * starts its processor from the first event; every second the supervisor checks whether it has caught up
 * with the head of the store, and then makes it live in one catalog update, so every read switches at
 * once, and stops the replaced version's processor. Replaced and cancelled versions are dropped (their
 * collections, tokens and dead letters) after {@code crm.projections.retire-grace}, which gives other
 * query-side instances time to stop writing to them.
 */
@Component
class Rebuilds implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Rebuilds.class);

    private final ProjectionCatalog catalog;
    private final ProjectionProcessors processors;
    private final ProjectionMonitor monitor;
    private final Clock clock;
    private final Duration retireGrace;
    private final MongoOperations mongo;
    private final Set<ProjectionVersion> dropping = ConcurrentHashMap.newKeySet();
    /** Caught-up rebuilds held back by their dead letters, warned about once each. */
    private final Set<ProjectionVersion> waitingForDeadLetters = ConcurrentHashMap.newKeySet();
    private final ExecutorService dropper = Executors.newSingleThreadExecutor(DaemonThreads.named("retired-versions"));

    Rebuilds(ProjectionCatalog catalog, ProjectionProcessors processors, ProjectionMonitor monitor,
             MongoOperations mongo, ProjectionSettings settings) {
        this.catalog = catalog;
        this.processors = processors;
        this.monitor = monitor;
        this.mongo = mongo;
        // Operational time (like the processors' claims), not the business clock a test may pin.
        this.clock = Clock.systemUTC();
        this.retireGrace = settings.retireGrace();
    }

    ProjectionVersion start(String name, String requestedBy) {
        readModel(name);
        ProjectionVersion version;
        try {
            version = catalog.startRebuild(name, requestedBy);
        } catch (RebuildConflictException e) {
            throw new ClientInputException(HttpStatus.CONFLICT, List.of(new FieldProblem("name", e.getMessage())));
        }
        log.info("Rebuild of {} requested by {}: building version {} beside version {}", name, requestedBy,
                version.version(), catalog.live(name));
        processors.reconcile();
        return version;
    }

    ProjectionVersion cancel(String name, String cancelledBy) {
        readModel(name);
        ProjectionVersion cancelled;
        try {
            cancelled = catalog.cancelRebuild(name).orElseThrow(() -> new ClientInputException(
                    HttpStatus.NOT_FOUND, List.of(new FieldProblem("name", "no rebuild of " + name + " is running"))));
        } catch (RebuildFinishedException e) {
            throw new ClientInputException(HttpStatus.CONFLICT, List.of(new FieldProblem("name", e.getMessage())));
        }
        log.info("Rebuild of {} (version {}) cancelled by {}", name, cancelled.version(), cancelledBy);
        processors.reconcile();
        return cancelled;
    }

    ReadModel<?> readModel(String name) {
        return processors.readModel(name).orElseThrow(() -> new ClientInputException(HttpStatus.NOT_FOUND,
                List.of(new FieldProblem("name", "no projection is called '" + name + "'; known: "
                        + processors.readModels().stream().map(ReadModel::name).toList()))));
    }

    /** Switches finished rebuilds live and drops what was retired long enough ago. */
    @Scheduled(fixedDelayString = "${crm.projections.rebuild-check-interval:1000}")
    void supervise() {
        for (ReadModel<?> model : processors.readModels()) {
            catalog.entry(model.name()).rebuildingVersion().ifPresent(this::switchWhenCaughtUp);
            dropRetired(model);
        }
    }

    private void switchWhenCaughtUp(ProjectionVersion version) {
        if (processors.running(version).isEmpty()) {
            return;
        }
        // The head is read before the processor's position: a position at or past it has seen every event
        // stored before this check.
        long head = monitor.freshHead();
        ProjectionMonitor.Status status = monitor.status(version, ProjectionMonitor.Role.REBUILD);
        if (!status.running() || status.error() || !status.caughtUp() || status.position() < head) {
            return;
        }
        // A version that refused events would go live without them, and the old version, which has them, would be
        // dropped: it waits until ops retried or dropped its dead letters (GET .../dead-letters?version=n).
        long deadLetters = monitor.deadLetters(version);
        if (deadLetters > 0) {
            if (waitingForDeadLetters.add(version)) {
                log.warn("Rebuild of {} (version {}) has caught up but holds {} dead-lettered events: it goes live once "
                        + "they are retried or dropped (/api/ops/projections/{}/dead-letters?version={})",
                        version.projection(), version.version(), deadLetters, version.projection(), version.version());
            }
            return;
        }
        waitingForDeadLetters.remove(version);
        if (catalog.completeRebuild(version)) {
            log.info("Rebuild of {} finished at position {}: version {} is live", version.projection(),
                    status.position(), version.version());
            processors.reconcile();
        }
    }

    /**
     * Drops on a thread of its own, so Spring's single scheduler thread (rebuild switches, catalog refreshes) never
     * waits for the store: deleting a version's tokens and dead letters, and its collections on a MongoDB across the
     * network. (The embedded store renames a dropped collection's maps and empties them in the background, so a drop
     * returns at once there too.) A drop that fails or is cut short by a stop is done again by a later check: the
     * version stays retired in the catalog until it is dropped.
     */
    private void dropRetired(ReadModel<?> model) {
        for (ProjectionCatalog.Retired retired : catalog.entry(model.name()).retired()) {
            ProjectionVersion version = new ProjectionVersion(model.name(), retired.version());
            boolean graceOver = !retired.at().plus(retireGrace).isAfter(clock.instant());
            if (graceOver && processors.running(version).isEmpty() && dropping.add(version)) {
                dropper.execute(() -> {
                    try {
                        long started = System.nanoTime();
                        model.drop(version, mongo::dropCollection);
                        processors.forget(version);
                        catalog.dropped(version);
                        log.info("Dropped {} (collections, tokens and dead letters) in {} ms", version,
                                (System.nanoTime() - started) / 1_000_000);
                    } catch (RuntimeException e) {
                        log.warn("Could not drop {} yet, tried again later: {}", version, e.toString());
                    } finally {
                        dropping.remove(version);
                    }
                });
            }
        }
    }

    @Override
    public void destroy() {
        dropper.shutdownNow();
    }
}
