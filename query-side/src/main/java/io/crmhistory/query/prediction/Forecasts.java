package io.crmhistory.query.prediction;

import io.crmhistory.api.customer.query.ValueForecast;
import io.crmhistory.query.value.PurchaseHistories;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A customer's forecast from the current value model, computed on demand from their purchases (a single
 * customer's summary is microseconds of arithmetic): what the prediction call, the value and customer views,
 * the stored figure the customer list sorts by and the segment rules all use, so they cannot disagree.
 */
@org.springframework.stereotype.Component
public class Forecasts {

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
        return Optional.of(forecast(model.get(), history, LocalDate.ofInstant(now, ZoneOffset.UTC),
                model.get().horizonWeeks()));
    }

    /** The forecast of a purchase history with the current model; empty without a model. */
    public Optional<ValueForecast> forecast(List<Map.Entry<Instant, BigDecimal>> history, Instant now) {
        return models.current().map(model -> forecast(model, history, LocalDate.ofInstant(now, ZoneOffset.UTC),
                model.horizonWeeks()));
    }

    /** The version of the current model, 0 without one. */
    public int currentVersion() {
        return models.current().map(ValueModelVersion::version).orElse(0);
    }

    static ValueForecast forecast(ValueModelVersion model, List<Map.Entry<Instant, BigDecimal>> history,
                                  LocalDate asOf, int horizonWeeks) {
        PurchaseSummary summary = PurchaseSummary.of(history, asOf);
        if (summary == null) {
            return new ValueForecast(model.version(), horizonWeeks, null, null, null, money(0));
        }
        double expectedPurchases = model.bgNbd().expectedPurchases(horizonWeeks, summary);
        double orderValue = model.gammaGamma().expectedOrderValue(summary);
        return new ValueForecast(model.version(), horizonWeeks, model.bgNbd().probabilityAlive(summary),
                expectedPurchases, money(orderValue), money(expectedPurchases * orderValue));
    }

    static String money(double amount) {
        return BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
