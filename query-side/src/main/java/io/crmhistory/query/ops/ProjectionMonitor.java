package io.crmhistory.query.ops;

import io.crmhistory.query.projection.Projections;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each projection stands: its processor's position in the event stream, the head of the store,
 * the lag between them and the events per second it is getting through (sampled every few seconds).
 * Published as gauges {@code crm.projection.position}, {@code crm.projection.head},
 * {@code crm.projection.lag}, {@code crm.projection.progress} and {@code crm.projection.events.per.second}
 * (tag {@code projection}), answered by {@code GET /api/ops/projections}, and
 * read by the health indicator.
 */
@Component
public class ProjectionMonitor {

    /** How long a read of the store's head is reused (it is one query against the event store). */
    private static final long HEAD_CACHE_NANOS = 1_000_000_000L;

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final Map<String, Rate> rates = new ConcurrentHashMap<>();
    private volatile long headPosition = -1;
    private volatile long headReadAt;

    ProjectionMonitor(EventProcessingConfiguration processing, EventStore eventStore, MeterRegistry registry) {
        this.processing = processing;
        this.eventStore = eventStore;
        for (String projection : Projections.ALL) {
            rates.put(projection, new Rate());
            Gauge.builder("crm.projection.position", this, monitor -> monitor.position(projection).orElse(-1))
                    .tag("projection", projection).description("Global index of the last event the projection processed")
                    .register(registry);
            Gauge.builder("crm.projection.head", this, ProjectionMonitor::head)
                    .tag("projection", projection).description("Global index of the newest event in the store")
                    .register(registry);
            Gauge.builder("crm.projection.lag", this, monitor -> monitor.lag(projection))
                    .tag("projection", projection).description("Events in the store the projection has not processed yet")
                    .register(registry);
            Gauge.builder("crm.projection.progress", this,
                            monitor -> progress(monitor.position(projection).orElse(-1), monitor.head()))
                    .tag("projection", projection).description("Share of the store's events the projection has processed, 0 to 1")
                    .register(registry);
            Gauge.builder("crm.projection.events.per.second", this, monitor -> monitor.rates.get(projection).perSecond)
                    .tag("projection", projection).description("Events processed per second, over the last sample")
                    .register(registry);
        }
    }

    /** The state of one projection, as the health indicator and operators see it. */
    public record Status(String projection, boolean running, boolean error, String errorMessage, long position,
                         long head, long lag, double eventsPerSecond) {
    }

    public Status status(String projection) {
        Optional<StreamingEventProcessor> processor = processor(projection);
        boolean running = processor.map(StreamingEventProcessor::isRunning).orElse(false);
        Optional<EventTrackerStatus> failed = processor.flatMap(p -> p.processingStatus().values().stream()
                .filter(EventTrackerStatus::isErrorState).findFirst());
        long position = position(projection).orElse(-1);
        // The head is read at most once a second; a projection can be past that reading, never past the store.
        long head = Math.max(head(), position);
        return new Status(projection, running, failed.isPresent() || processor.map(StreamingEventProcessor::isError).orElse(false),
                failed.map(status -> String.valueOf(status.getError())).orElse(null),
                position, head, head < 0 ? 0 : head - position, rates.get(projection).perSecond);
    }

    /** Samples positions for the events-per-second figures. */
    @Scheduled(fixedRateString = "${crm.projections.rate-sample-interval:5000}")
    void sample() {
        long now = System.nanoTime();
        for (String projection : Projections.ALL) {
            OptionalLong position = position(projection);
            if (position.isPresent()) {
                rates.get(projection).sample(position.getAsLong(), now);
            }
        }
    }

    /** Events processed over events in the store (global indexes start at 0); 1 for an empty store. */
    static double progress(long position, long head) {
        if (head < 0) {
            return 1;
        }
        return Math.min(1, Math.max(0, (position + 1) / (double) (head + 1)));
    }

    OptionalLong position(String projection) {
        return processor(projection)
                .map(p -> p.processingStatus().values().stream()
                        .map(EventTrackerStatus::getTrackingToken)
                        .filter(java.util.Objects::nonNull)
                        .map(TrackingToken::position)
                        .filter(OptionalLong::isPresent)
                        .mapToLong(OptionalLong::getAsLong)
                        .max())
                .orElse(OptionalLong.empty());
    }

    long lag(String projection) {
        long head = head();
        OptionalLong position = position(projection);
        if (head < 0) {
            return 0;
        }
        return Math.max(0, head - position.orElse(-1));
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

    private Optional<StreamingEventProcessor> processor(String projection) {
        return processing.eventProcessor(projection, StreamingEventProcessor.class);
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
