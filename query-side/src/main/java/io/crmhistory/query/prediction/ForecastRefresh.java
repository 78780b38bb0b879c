package io.crmhistory.query.prediction;

import io.crmhistory.api.customer.query.ValueForecast;
import io.crmhistory.query.directory.DirectoryForecasts;
import io.crmhistory.query.projection.BackgroundRefresh;
import io.crmhistory.query.projection.CatchUpDeferral;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import io.crmhistory.query.value.PurchaseHistories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the forecast stored on every directory entry (what the customer list shows and sorts by) fresh: all
 * customers when a model version is published, daily (a forecast changes with time alone) and when the live
 * directory version changes (a rebuilt directory starts without forecasts); single customers after each
 * committed value or directory batch of theirs, so a purchase moves them in the list within moments (while the
 * live projections are still catching up after a start, everyone once they have instead); and once after each
 * start. All of it on one background thread, in pages of {@value #PAGE}.
 */
@Component
public class ForecastRefresh implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ForecastRefresh.class);
    private static final int PAGE = 1000;

    private final ValueModels models;
    private final PurchaseHistories purchases;
    private final DirectoryForecasts directory;
    private final Clock clock;
    private final CatchUpDeferral deferral;
    private final BackgroundRefresh refresh = new BackgroundRefresh("forecast-refresh");
    private volatile int refreshedDirectoryVersion;
    private volatile int refreshedModelVersion;

    ForecastRefresh(ValueModels models, PurchaseHistories purchases, DirectoryForecasts directory,
                    ProjectionProcessors processors, ReadModelVersions versions, Clock clock) {
        this.models = models;
        this.purchases = purchases;
        this.directory = directory;
        this.clock = clock;
        this.deferral = new CatchUpDeferral(processors, Projections.VALUE, Projections.DIRECTORY);
        // Nothing refreshed yet by this process: the first check refreshes every entry, since a crash may have
        // lost the last refresh's writes (and the daily one may have been missed while stopped).
        this.refreshedDirectoryVersion = 0;
        this.refreshedModelVersion = 0;
        models.onPublished(version -> refresh.run(this::refreshAll));
        versions.onCommitted((readModel, customerIds) -> {
            if ((readModel.equals(Projections.VALUE) || readModel.equals(Projections.DIRECTORY))
                    && models.current().isPresent()) {
                if (!deferral.defer(customerIds)) {
                    refresh.customers(customerIds, this::refresh);
                }
            }
        });
    }

    /** Time moves every forecast (T grows); once a day is what the list needs. */
    @Scheduled(cron = "${crm.value-model.refresh-cron:0 30 2 * * *}", zone = "UTC")
    void daily() {
        refresh.run(this::refreshAll);
    }

    /**
     * A rebuilt directory or a model another instance fitted: every entry. Refreshes skipped while catching up:
     * those customers (or everyone, when too many were skipped to remember).
     */
    @Scheduled(fixedDelayString = "${crm.value-model.refresh-interval:10000}")
    void catchUp() {
        int model = models.current().map(ValueModelVersion::version).orElse(0);
        CatchUpDeferral.Owed owed = deferral.caughtUpAfterDeferring();
        if (model == 0) {
            return;
        }
        if (directory.liveVersion() != refreshedDirectoryVersion || model != refreshedModelVersion
                || owed.everyone()) {
            refresh.run(this::refreshAll);
        } else if (!owed.customers().isEmpty()) {
            refresh.customers(owed.customers(), this::refresh);
        }
    }

    private void refreshAll() {
        Optional<ValueModelVersion> model = models.current();
        if (model.isEmpty()) {
            return;
        }
        int directoryVersion = directory.liveVersion();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, ValueForecast> page = new HashMap<>();
        int[] customers = {0};
        purchases.forEach((customerId, history) -> {
            page.put(customerId, Forecasts.forecast(model.get(), history, today, model.get().horizonWeeks()));
            customers[0]++;
            if (page.size() == PAGE) {
                directory.store(page);
                page.clear();
            }
        });
        directory.store(page);
        refreshedDirectoryVersion = directoryVersion;
        refreshedModelVersion = model.get().version();
        log.info("Forecasts of {} customers refreshed with value model version {} as of {}", customers[0],
                model.get().version(), today);
    }

    private void refresh(List<String> customerIds) {
        Optional<ValueModelVersion> model = models.current();
        if (model.isEmpty()) {
            return;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, ValueForecast> forecasts = new HashMap<>();
        for (String customerId : customerIds) {
            purchases.of(customerId).ifPresent(history -> forecasts.put(customerId,
                    Forecasts.forecast(model.get(), history, today, model.get().horizonWeeks())));
        }
        directory.store(forecasts);
    }

    @Override
    public void destroy() {
        refresh.close();
    }
}
