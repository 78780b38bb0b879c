package io.crmhistory.query.prediction;

import io.crmhistory.query.projection.FxRates;
import io.crmhistory.api.customer.query.ValueForecast;
import io.crmhistory.query.value.PurchaseHistories;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A customer's forecast from the current value model, computed on demand from their purchases (a single
 * customer's summary is microseconds of arithmetic): what the prediction call, the value and customer views,
 * the stored figure the customer list sorts by and the segment rules all use, so they cannot disagree.
 */
@org.springframework.stereotype.Component
public class Forecasts {

    static final String UNAVAILABLE = "crm.forecasts.unavailable";
    private static final Logger log = LoggerFactory.getLogger(Forecasts.class);
    private static final AtomicLong unavailable = new AtomicLong();

    private final ValueModels models;
    private final PurchaseHistories purchases;

    Forecasts(ValueModels models, PurchaseHistories purchases) {
        this.models = models;
        this.purchases = purchases;
    }

    /** The forecast of a customer as of {@code now}, over the model's horizon; empty without a model. */
    public Optional<ValueForecast> forecast(String customerId, Instant now) {
        Optional<ValueModelVersion> model = models.current();
        if (model.isEmpty()) {
            return Optional.empty();
        }
        List<Map.Entry<Instant, BigDecimal>> history = purchases.of(customerId).orElse(List.of());
        return forecast(model.get(), history, LocalDate.ofInstant(now, ZoneOffset.UTC), model.get().horizonWeeks());
    }

    /** The forecast of a purchase history with the current model; empty without a model. */
    public Optional<ValueForecast> forecast(List<Map.Entry<Instant, BigDecimal>> history, Instant now) {
        return models.current().flatMap(model -> forecast(model, history, LocalDate.ofInstant(now, ZoneOffset.UTC),
                model.horizonWeeks()));
    }

    /** The version of the current model, 0 without one. */
    public int currentVersion() {
        return models.current().map(ValueModelVersion::version).orElse(0);
    }

    /**
     * The forecast of a purchase history, or empty where the model's arithmetic cannot give one: the series of the
     * expected purchases does not converge for a rate and horizon far outside any fitted data (a mean rate of
     * thousands of purchases a week over years). Such a customer then has no forecast (logged and counted as
     * {@code crm.forecasts.unavailable}) rather than failing the list's refresh, the segment projection or a read.
     */
    static Optional<ValueForecast> forecast(ValueModelVersion model, List<Map.Entry<Instant, BigDecimal>> history,
                                            LocalDate asOf, int horizonWeeks) {
        return forecast(model, PurchaseSummary.of(history, asOf), horizonWeeks);
    }

    /** As above, from the customer's summary as of the day asked about ({@code null} without a purchase by then). */
    static Optional<ValueForecast> forecast(ValueModelVersion model, PurchaseSummary summary, int horizonWeeks) {
        if (summary == null) {
            return Optional.of(new ValueForecast(model.version(), horizonWeeks, null, null, null, money(0, model)));
        }
        double expectedPurchases;
        try {
            expectedPurchases = model.bgNbd().expectedPurchases(horizonWeeks, summary);
        } catch (ArithmeticException notConverging) {
            unavailable(model, summary, horizonWeeks, notConverging);
            return Optional.empty();
        }
        double orderValue = model.gammaGamma().expectedOrderValue(summary);
        return Optional.of(new ValueForecast(model.version(), horizonWeeks, model.bgNbd().probabilityAlive(summary),
                expectedPurchases, money(orderValue, model), money(expectedPurchases * orderValue, model)));
    }

    /** Logs the 1st, 10th, 100th, ... unavailable forecast (one model can make it so for many customers). */
    private static void unavailable(ValueModelVersion model, PurchaseSummary summary, int horizonWeeks,
                                    ArithmeticException cause) {
        Metrics.counter(UNAVAILABLE).increment();
        long count = unavailable.incrementAndGet();
        if (count == Math.pow(10, Math.floor(Math.log10(count)))) {
            log.warn("No forecast with value model version {} over {} weeks for a customer with x={}, t_x={}, T={} "
                            + "({} such forecast(s) since the start): {}", model.version(), horizonWeeks, summary.x(),
                    summary.tx(), summary.t(), count, cause.getMessage());
        }
    }

    /** In the model's base currency, with its minor digits (2 for EUR, 0 for JPY, 3 for KWD), as every other figure. */
    static String money(double amount, ValueModelVersion model) {
        return BigDecimal.valueOf(amount).setScale(FxRates.minorDigits(model.baseCurrency()), RoundingMode.HALF_EVEN)
                .toPlainString();
    }
}
