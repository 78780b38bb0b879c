package io.crmhistory.query.prediction;

import io.crmhistory.api.customer.query.ValueForecast;
import io.crmhistory.query.directory.DirectoryForecasts;
import io.crmhistory.query.projection.BackgroundRefreshes;
import io.crmhistory.query.projection.CatchUpDeferral;
import io.crmhistory.query.projection.LedgeredRefresh;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import io.crmhistory.query.value.PurchaseHistories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the forecast stored on every directory entry (what the customer list shows and sorts by) fresh: all
 * customers when a model version is published, daily (a forecast changes with time alone) and when the live
 * directory version (a rebuilt directory starts without forecasts) or the live value version (the purchases the
 * forecasts are made from) changes; single customers after each committed batch of theirs of the live value version
 * or of any directory version, so a purchase moves them in the list within moments (while the live projections are
 * still catching up after a start, everyone once they have instead). After a start, everyone when its ledger cannot
 * vouch for the entries ({@link LedgeredRefresh}): no full refresh completed from the live directory, value and
 * model versions, a daily refresh missed while stopped, or an instance stopped with refreshes owed or crashed. All
 * of it on one background thread, in pages of {@value #PAGE}.
 */
@Component
public class ForecastRefresh implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ForecastRefresh.class);
    private static final int PAGE = 1000;

    private final ValueModels models;
    private final PurchaseHistories purchases;
    private final DirectoryForecasts directory;
    private final Clock clock;
    private final LedgeredRefresh refresh;

    ForecastRefresh(ValueModels models, PurchaseHistories purchases, DirectoryForecasts directory,
                    ProjectionProcessors processors, ReadModelVersions versions, BackgroundRefreshes refreshes,
                    Clock clock, @Value("${crm.value-model.refresh-cron:0 30 2 * * *}") String dailyCron,
                    @Value("${crm.refresh.stop-patience:10s}") Duration stopPatience) {
        this.models = models;
        this.purchases = purchases;
        this.directory = directory;
        this.clock = clock;
        CronExpression daily = CronExpression.parse(dailyCron);
        // Made here, before the processors start (see RefreshLedger). A daily refresh missed while stopped: everyone.
        this.refresh = new LedgeredRefresh(refreshes, "forecast-refresh",
                new CatchUpDeferral(processors, Projections.VALUE, Projections.DIRECTORY), stopPatience,
                this::refresh, basis -> !dailyMissed(daily, basis.asOf(), clock.instant()));
        models.onPublished(version -> refresh.runFull("value model version " + version + " published",
                this::refreshAll));
        versions.onCommitted((readModel, customerIds, live) -> {
            if (follows(readModel, live) && models.current().isPresent()) {
                refresh.committed(customerIds);
            }
        });
    }

    /**
     * Whether a batch of {@code readModel} may have changed a forecast the list shows: any batch of the directory (a
     * version being rebuilt is written too), only the live version's of the value read model, whose purchases the
     * forecasts are made from; a value version being rebuilt changes none until it goes live.
     */
    static boolean follows(String readModel, boolean live) {
        return readModel.equals(Projections.DIRECTORY) || (readModel.equals(Projections.VALUE) && live);
    }

    /** Time moves every forecast (T grows); once a day is what the list needs. */
    @Scheduled(cron = "${crm.value-model.refresh-cron:0 30 2 * * *}", zone = "UTC")
    void daily() {
        refresh.runFull("daily", this::refreshAll);
    }

    /**
     * Every entry for a rebuilt directory or value read model or a model another instance fitted (their versions are
     * the basis), and whatever else the ledger cannot vouch for (see {@link LedgeredRefresh#check}). Without a value
     * model there are no forecasts to keep.
     */
    @Scheduled(fixedDelayString = "${crm.value-model.refresh-interval:10000}")
    void catchUp() {
        int model = models.current().map(ValueModelVersion::version).orElse(0);
        refresh.check(model == 0 ? null : basis(model), this::refreshAll);
    }

    /** What a full refresh made the forecasts from: the live directory and value versions and the model's. */
    private String basis(int model) {
        return directory.liveVersion() + "/" + purchases.liveVersion() + "/" + model;
    }

    /** True when the daily refresh was due after a full refresh as of {@code asOf} and by {@code now}. */
    static boolean dailyMissed(CronExpression daily, Instant asOf, Instant now) {
        ZonedDateTime due = daily.next(asOf.atZone(ZoneOffset.UTC));
        return due == null || !due.toInstant().isAfter(now);
    }

    private void refreshAll(String reason, Set<String> repaired) {
        Optional<ValueModelVersion> model = models.current();
        if (model.isEmpty()) {
            return;
        }
        String basis = basis(model.get().version());
        Instant asOf = clock.instant();
        LocalDate today = LocalDate.ofInstant(asOf, ZoneOffset.UTC);
        Map<String, ValueForecast> page = new HashMap<>();
        int[] customers = {0};
        purchases.forEach((customerId, history) -> {
            page.put(customerId, Forecasts.forecast(model.get(), history, today, model.get().horizonWeeks())
                    .orElse(null));
            customers[0]++;
            if (page.size() == PAGE) {
                directory.store(page);
                page.clear();
            }
        });
        directory.store(page);
        refresh.fullyRefreshed(basis, asOf, repaired);
        log.info("Forecasts of {} customers refreshed with value model version {} as of {} (why: {})", customers[0],
                model.get().version(), today, reason);
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
                    Forecasts.forecast(model.get(), history, today, model.get().horizonWeeks()).orElse(null)));
        }
        directory.store(forecasts);
    }

    @Override
    public void destroy() {
        refresh.stop();
    }
}
