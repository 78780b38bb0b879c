package io.crmhistory.query.prediction;

import io.crmhistory.query.projection.ReadModelCommits;
import io.crmhistory.query.value.PurchaseHistories;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.FieldProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Fits and keeps the versions of the value forecast ({@value #COLLECTION}). One fit at a time per instance; a
 * fit that fails leaves the current version in place. The versions live beside the read models but are not
 * derived from events: a rebuild of the read models keeps them, a lost read-model store loses them.
 */
@Component
public class ValueModels {

    static final String COLLECTION = "value_models";
    private static final int PROGRESS_EVERY = 1000;
    /** Fits stored by other instances between reading the latest version and storing, before giving up. */
    private static final int STORE_ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(ValueModels.class);

    private final MongoTemplate mongo;
    private final PurchaseHistories purchases;
    private final Clock clock;
    private final ReadModelCommits commits;
    private final ReentrantLock fitting = new ReentrantLock();
    private final List<Consumer<ValueModelVersion>> publishedListeners = new CopyOnWriteArrayList<>();
    private volatile Optional<ValueModelVersion> current;
    private volatile FitProgress progress;

    ValueModels(MongoTemplate mongo, PurchaseHistories purchases, Clock clock, ReadModelCommits commits) {
        this.commits = commits;
        this.mongo = mongo;
        this.purchases = purchases;
        this.clock = clock;
        this.current = latest();
    }

    /** The model in force (cached: every forecast reads it; re-read every few seconds for other instances' fits). */
    public Optional<ValueModelVersion> current() {
        return current;
    }

    /** The fit running now, or the last one, in this instance. */
    public Optional<FitProgress> progress() {
        return Optional.ofNullable(progress);
    }

    /** Called with each model version this instance fits or first sees fitted by another. */
    public void onPublished(Consumer<ValueModelVersion> listener) {
        publishedListeners.add(listener);
    }

    @Scheduled(fixedDelayString = "${crm.value-model.refresh-interval:10000}")
    void refresh() {
        Optional<ValueModelVersion> latest = latest();
        int known = current.map(ValueModelVersion::version).orElse(0);
        if (latest.isPresent() && latest.get().version() > known) {
            publish(latest.get());
        }
    }

    private synchronized void publish(ValueModelVersion version) {
        if (current.map(ValueModelVersion::version).orElse(0) >= version.version()) {
            return;
        }
        current = Optional.of(version);
        publishedListeners.forEach(listener -> listener.accept(version));
    }

    private Optional<ValueModelVersion> latest() {
        return Optional.ofNullable(mongo.findOne(new Query().with(Sort.by(Sort.Direction.DESC, "_id")).limit(1),
                ValueModelVersion.class, COLLECTION));
    }

    /**
     * Stores the fit as the next version. Another instance's fit may take that number between reading the latest and
     * storing (the lock is this instance's): this one, finished later, is then stored as the version after it.
     */
    private ValueModelVersion stored(ModelFit.Fitted<BgNbd> bgNbd, ModelFit.Fitted<GammaGamma> gammaGamma,
                                     LocalDate calibrationEnd, int horizonWeeks, String fittedBy) {
        for (int attempt = 1; ; attempt++) {
            int version = latest().map(ValueModelVersion::version).orElse(0) + 1;
            ValueModelVersion fitted = new ValueModelVersion(version, bgNbd.model(), bgNbd.logLikelihood(),
                    bgNbd.customers(), gammaGamma.model(), gammaGamma.logLikelihood(), gammaGamma.customers(),
                    calibrationEnd, horizonWeeks, purchases.baseCurrency(), fittedBy, clock.instant());
            try {
                mongo.insert(fitted, COLLECTION);
                return fitted;
            } catch (DuplicateKeyException takenMeanwhile) {
                if (attempt == STORE_ATTEMPTS) {
                    throw new ClientInputException(HttpStatus.CONFLICT, List.of(new FieldProblem("calibrationEnd",
                            "other instances stored " + STORE_ATTEMPTS + " fits meanwhile; try again")));
                }
                log.info("Value model version {} was stored by another instance meanwhile; storing this fit after it",
                        version);
            }
        }
    }

    public List<ValueModelVersion> versions() {
        return mongo.find(new Query().with(Sort.by("_id")), ValueModelVersion.class, COLLECTION);
    }

    ValueModelVersion fit(LocalDate calibrationEnd, int horizonWeeks, String fittedBy) {
        if (!fitting.tryLock()) {
            throw new ClientInputException(HttpStatus.CONFLICT, List.of(new FieldProblem("calibrationEnd",
                    "a fit is running already; try again when it has finished")));
        }
        Instant startedAt = clock.instant();
        long total = purchases.customerCount();
        try {
            List<PurchaseSummary> summaries = new ArrayList<>();
            long[] read = {0};
            progress = new FitProgress(FitProgress.READING, 0, total, 0, fittedBy, calibrationEnd, startedAt, null, null);
            purchases.forEach((customerId, history) -> {
                PurchaseSummary summary = PurchaseSummary.of(history, calibrationEnd);
                if (summary != null) {
                    summaries.add(summary);
                }
                if (++read[0] % PROGRESS_EVERY == 0) {
                    progress = progress.read(read[0]);
                }
            });
            progress = progress.read(read[0]).phase(FitProgress.FITTING_BG_NBD, 0.5);
            ModelFit.Fitted<BgNbd> bgNbd;
            ModelFit.Fitted<GammaGamma> gammaGamma;
            try {
                bgNbd = ModelFit.bgNbd(summaries);
                progress = progress.phase(FitProgress.FITTING_GAMMA_GAMMA, 0.75);
                gammaGamma = ModelFit.gammaGamma(summaries);
            } catch (ModelFit.FitException e) {
                progress = progress.finished(FitProgress.FAILED, clock.instant(), e.getMessage());
                throw new ClientInputException(HttpStatus.UNPROCESSABLE_ENTITY, List.of(new FieldProblem("calibrationEnd",
                        e.getMessage() + " (as of " + calibrationEnd + "); the current model stays")));
            }
            ValueModelVersion fitted = stored(bgNbd, gammaGamma, calibrationEnd, horizonWeeks, fittedBy);
            int version = fitted.version();
            // Not derived from events: on disk before the 201, even on the embedded store.
            commits.commitNow();
            log.info("Value model version {} fitted by {} over {} customers as of {}: {}, {}", version, fittedBy,
                    bgNbd.customers(), calibrationEnd, bgNbd.model(), gammaGamma.model());
            progress = progress.finished(FitProgress.FITTED + " version " + version, clock.instant(), null);
            publish(fitted);
            return fitted;
        } catch (RuntimeException e) {
            if (progress != null && progress.finishedAt() == null) {
                progress = progress.finished(FitProgress.FAILED, clock.instant(), e.getMessage());
            }
            throw e;
        } finally {
            fitting.unlock();
        }
    }
}
