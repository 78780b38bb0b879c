package io.crmhistory.query.prediction;

import io.crmhistory.query.value.PurchaseHistories;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.FieldProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fits and keeps the versions of the value forecast ({@value #COLLECTION}). One fit at a time per instance; a
 * fit that fails leaves the current version in place. The versions live beside the read models but are not
 * derived from events: a rebuild of the read models keeps them, a lost read-model store loses them.
 */
@Component
public class ValueModels {

    static final String COLLECTION = "value_models";
    private static final Logger log = LoggerFactory.getLogger(ValueModels.class);

    private final MongoTemplate mongo;
    private final PurchaseHistories purchases;
    private final Clock clock;
    private final ReentrantLock fitting = new ReentrantLock();

    ValueModels(MongoTemplate mongo, PurchaseHistories purchases, Clock clock) {
        this.mongo = mongo;
        this.purchases = purchases;
        this.clock = clock;
    }

    public Optional<ValueModelVersion> current() {
        return Optional.ofNullable(mongo.findOne(new Query().with(Sort.by(Sort.Direction.DESC, "_id")).limit(1),
                ValueModelVersion.class, COLLECTION));
    }

    public List<ValueModelVersion> versions() {
        return mongo.find(new Query().with(Sort.by("_id")), ValueModelVersion.class, COLLECTION);
    }

    ValueModelVersion fit(LocalDate calibrationEnd, int horizonWeeks, String fittedBy) {
        if (!fitting.tryLock()) {
            throw new ClientInputException(HttpStatus.CONFLICT, List.of(new FieldProblem("calibrationEnd",
                    "a fit is running already; try again when it has finished")));
        }
        try {
            List<PurchaseSummary> summaries = new ArrayList<>();
            purchases.forEach((customerId, history) -> {
                PurchaseSummary summary = PurchaseSummary.of(history, calibrationEnd);
                if (summary != null) {
                    summaries.add(summary);
                }
            });
            ModelFit.Fitted<BgNbd> bgNbd;
            ModelFit.Fitted<GammaGamma> gammaGamma;
            try {
                bgNbd = ModelFit.bgNbd(summaries);
                gammaGamma = ModelFit.gammaGamma(summaries);
            } catch (ModelFit.FitException e) {
                throw new ClientInputException(HttpStatus.UNPROCESSABLE_ENTITY, List.of(new FieldProblem("calibrationEnd",
                        e.getMessage() + " (as of " + calibrationEnd + "); the current model stays")));
            }
            int version = current().map(ValueModelVersion::version).orElse(0) + 1;
            ValueModelVersion fitted = new ValueModelVersion(version, bgNbd.model(), bgNbd.logLikelihood(),
                    bgNbd.customers(), gammaGamma.model(), gammaGamma.logLikelihood(), gammaGamma.customers(),
                    calibrationEnd, horizonWeeks, purchases.baseCurrency(), fittedBy, clock.instant());
            mongo.insert(fitted, COLLECTION);
            log.info("Value model version {} fitted by {} over {} customers as of {}: {}, {}", version, fittedBy,
                    bgNbd.customers(), calibrationEnd, bgNbd.model(), gammaGamma.model());
            return fitted;
        } finally {
            fitting.unlock();
        }
    }
}
