package io.crmhistory.query.segment;

import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModel;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Optional;

/**
 * The segments: their versions' stores, the projection that fills each, and the re-evaluation of every
 * customer, daily ({@code crm.segments.reevaluation-cron}) on the live version and on each version when its
 * projection sees new rules.
 */
@Component
public class SegmentReadModel extends ReadModel<SegmentStore> {

    private final FxRates fx;
    private final Clock clock;
    private final ReadModelVersions versions;
    private final QueryUpdateEmitter updateEmitter;
    private final SegmentReevaluation reevaluation;

    SegmentReadModel(ProjectionCatalog catalog, MongoTemplate mongo, FxRates fx, Clock clock,
                     ReadModelVersions versions, QueryUpdateEmitter updateEmitter) {
        super(Projections.SEGMENT, catalog, mongo);
        this.fx = fx;
        this.clock = clock;
        this.versions = versions;
        this.updateEmitter = updateEmitter;
        this.reevaluation = new SegmentReevaluation(clock);
    }

    @Override
    public Object handlerFor(ProjectionVersion version) {
        return new SegmentProjection(version, store(version), reevaluation, clock, versions, updateEmitter,
                () -> isLive(version));
    }

    @Override
    protected SegmentStore open(ProjectionVersion version) {
        return new SegmentStore(mongo(), version, fx);
    }

    @Scheduled(cron = "${crm.segments.reevaluation-cron:0 0 2 * * *}", zone = "UTC")
    void daily() {
        reevaluation.reevaluateAll(live(), SegmentChange.TIME, clock.instant());
    }

    /** The re-evaluation running now, or the last one, in this instance. */
    public Optional<ReevaluationStatus> reevaluation() {
        return reevaluation.progress().map(progress -> new ReevaluationStatus(progress.cause(), progress.ruleVersion(),
                progress.customers(), progress.evaluated(), progress.moved(), progress.share(),
                progress.finishedAt() != null, progress.startedAt(), progress.finishedAt()));
    }

    /** A re-evaluation of every customer, as ops see it beside the projections. */
    public record ReevaluationStatus(String cause, int ruleVersion, long customers, long evaluated, long moved,
                                     double progress, boolean finished, java.time.Instant startedAt,
                                     java.time.Instant finishedAt) {
    }
}
