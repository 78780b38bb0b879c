package io.crmhistory.query.prediction;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.LocalDate;

/**
 * A customer's forecast: the model version, the summary it was computed from, P(alive), the expected purchases
 * over the horizon, the expected value of an order and their product, in the base currency (decimal strings).
 * Without a purchase by {@code asOf} there is no summary: the figures are null (present, as every listed field is) and
 * the predicted revenue is 0, as in the value view's forecast.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PredictionView(String customerId,
                             int modelVersion,
                             LocalDate asOf,
                             int horizonWeeks,
                             Summary summary,
                             Double probabilityAlive,
                             Double expectedPurchases,
                             String expectedOrderValue,
                             String predictedRevenue,
                             String baseCurrency) {

    /** The summary in the models' notation. */
    public record Summary(int x, @JsonProperty("t_x") double tx, @JsonProperty("T") double t, double zbar) {
    }
}
