package io.crmhistory.query.segment;

import io.crmhistory.platform.concurrent.DaemonThreads;
import io.crmhistory.query.privacy.PersonalDataUse;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ProjectionSettings;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModel;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.crmhistory.query.prediction.Forecasts;
import io.crmhistory.query.prediction.ValueModels;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The segments: their versions' stores, the projection that fills each, and the re-evaluation of every
 * customer, daily ({@code crm.segments.reevaluation-cron}) on the live version and on each version when its
 * projection sees new rules.
 */
@Component
public class SegmentReadModel extends ReadModel<SegmentStore> {

    private static final Logger log = LoggerFactory.getLogger(SegmentReadModel.class);

    private final FxRates fx;
    private final Clock clock;
    private final ReadModelVersions versions;
    private final QueryUpdateEmitter updateEmitter;
    private final SegmentReevaluation reevaluation;
    private final SegmentForecaster forecaster;
    /** The most events a batch of a segment processor holds (see {@link SegmentProjection}). */
    private final int largestBatch;
    /**
     * Runs the re-evaluations that no event starts (daily, new value model, finishing an interrupted one), one at a
     * time and off the scheduler's single thread, which they would hold for minutes at a million customers.
     */
    private final ExecutorService backgroundReevaluations = Executors.newSingleThreadExecutor(
            DaemonThreads.named("segment-reevaluation"));

    SegmentReadModel(ProjectionCatalog catalog, MongoTemplate mongo, FxRates fx, Clock clock,
                     ReadModelVersions versions, QueryUpdateEmitter updateEmitter, Forecasts forecasts,
                     ValueModels models, ProjectionSettings settings) {
        super(Projections.SEGMENT, catalog, mongo);
        this.largestBatch = settings.largestBatch();
        this.fx = fx;
        this.clock = clock;
        this.versions = versions;
        this.updateEmitter = updateEmitter;
        this.reevaluation = new SegmentReevaluation(clock, Clock.systemUTC(), versions);
        this.forecaster = (purchases, now) -> forecasts.forecast(inBaseCurrency(purchases, fx), now)
                .map(forecast -> new SegmentForecaster.Figures(forecast.probabilityAlive(),
                        new BigDecimal(forecast.predictedRevenue())))
                .orElse(null);
        models.onPublished(model -> inBackground(this::reevaluateForNewModel));
    }

    /**
     * A new value model moves the customers of rules that read its figures: re-evaluate them all, in a version
     * being rebuilt too (a model is not an event, so its replay would not see it: customers it assessed before
     * the new model would go live with the old model's segments).
     */
    private void reevaluateForNewModel() {
        for (SegmentStore store : storesInUse()) {
            if (store.ruleBook().current().readsForecast()) {
                reevaluation.reevaluateAll(store, SegmentChange.MODEL, clock.instant());
            }
        }
    }

    /** A failed run is left unfinished, and the next check for interrupted runs finishes it where it stopped. */
    private void inBackground(Runnable reevaluations) {
        backgroundReevaluations.execute(() -> {
            try {
                reevaluations.run();
            } catch (RuntimeException e) {
                log.warn("Re-evaluating segments failed; the next check (crm.segments.reevaluation-check-interval)"
                        + " finishes it from where it stopped: {}", e.toString());
            }
        });
    }

    /** Purchases in the base currency; one in a currency without a rate cannot be compared and is left out. */
    private static List<Map.Entry<Instant, BigDecimal>> inBaseCurrency(List<SegmentState.Purchase> purchases,
                                                                         FxRates fx) {
        List<Map.Entry<Instant, BigDecimal>> history = new ArrayList<>();
        for (SegmentState.Purchase purchase : purchases) {
            fx.toBase(purchase.currency(), purchase.amount())
                    .ifPresent(amount -> history.add(Map.entry(purchase.at(), amount)));
        }
        return history;
    }

    @PreDestroy
    void stopReevaluations() {
        backgroundReevaluations.shutdownNow();
    }

    /** The rules see value, recency, frequency, status and contacts, never a personal field. */
    @Override
    public PersonalDataUse personalDataUse() {
        return PersonalDataUse.NONE;
    }

    @Override
    public Object handlerFor(ProjectionVersion version) {
        return new SegmentProjection(version, store(version), reevaluation, clock, versions, updateEmitter,
                () -> isLive(version), largestBatch);
    }

    @Override
    protected SegmentStore open(ProjectionVersion version) {
        return new SegmentStore(mongo(), version, fx, forecaster, () -> isLiveAlone(version));
    }

    /**
     * Recency drifts with time: every customer is assessed again at one instant, in a version being rebuilt too. Its
     * replay assessed the customers it passed before this run at its own earlier now; going live with those, it would
     * log them back to where the live version's run had moved them from, and the next day's run forward again.
     */
    @Scheduled(cron = "${crm.segments.reevaluation-cron:0 0 2 * * *}", zone = "UTC")
    void daily() {
        Instant now = clock.instant();
        inBackground(() -> storesInUse().forEach(store -> reevaluation.reevaluateAll(store, SegmentChange.TIME, now)));
    }

    /**
     * Finishes a re-evaluation that failed or that a crash (of this instance or another) interrupted: checked every
     * {@code crm.segments.reevaluation-check-interval} from start (one read per store in use), since the run's owner
     * may have stopped while another instance lives on.
     */
    @Scheduled(initialDelayString = "${crm.segments.reevaluation-check-interval:60000}",
            fixedDelayString = "${crm.segments.reevaluation-check-interval:60000}")
    void checkInterrupted() {
        inBackground(() -> {
            live().carryLegacyChanges();
            storesInUse().forEach(reevaluation::finishInterrupted);
            reconcileChangeLog();
        });
    }

    /**
     * A rebuilt version that went live wrote its states without logging their moves: once the version it replaced is
     * gone ({@link SegmentStore#logsChanges()}), one {@link SegmentChange#REBUILD} run compares each customer with the
     * end of the change log and records where they differ. Version 1 never needs it (it was live from its first event).
     * Customers with an event before the run reaches them are reconciled by the projection on that event.
     */
    private void reconcileChangeLog() {
        SegmentStore store = live();
        if (store.version().version() > 1 && store.logsChanges() && !store.lastReevaluation().changeLogReconciled()) {
            reevaluation.reevaluateAll(store, SegmentChange.REBUILD, clock.instant());
        }
    }

    /**
     * Carries the changes the live version kept in its own collection, before the log was the read model's, into the
     * log: once, in the background after start (a history read meanwhile shows the segment changes carried so far); a
     * copy that failed is done again by the periodic check.
     */
    @EventListener(ApplicationReadyEvent.class)
    void carryLegacyChanges() {
        inBackground(() -> {
            long carried = live().carryLegacyChanges();
            if (carried > 0) {
                log.info("Carried {} segment changes of {} into the segment change log", carried, liveVersion());
            }
        });
    }

    /** The live version's re-evaluation running now (on any instance), or its last one. */
    public Optional<ReevaluationStatus> reevaluation() {
        ReevaluationRun run = live().lastReevaluation();
        return run.cause() == null ? Optional.empty() : Optional.of(new ReevaluationStatus(run.cause(),
                run.ruleVersion(), run.customers(), run.evaluated(), run.moved(), run.share(), run.finished(),
                run.startedAt(), run.finishedAt()));
    }

    /** A re-evaluation of every customer, as ops see it beside the projections. */
    public record ReevaluationStatus(String cause, int ruleVersion, long customers, long evaluated, long moved,
                                     double progress, boolean finished, java.time.Instant startedAt,
                                     java.time.Instant finishedAt) {
    }
}
