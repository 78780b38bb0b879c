package io.crmhistory.api.customer.query;

/**
 * The customer's forecast as of the moment of the query, from the current value model (BG/NBD + Gamma-Gamma):
 * the probability the customer is still active, the purchases expected over {@code horizonWeeks}, the expected
 * value of an order and their product, money as decimal strings in the base currency. Without a purchase the
 * customer has no forecast figures but a predicted revenue of zero.
 */
public record ValueForecast(int modelVersion,
                            int horizonWeeks,
                            Double probabilityAlive,
                            Double expectedPurchases,
                            String expectedOrderValue,
                            String predictedRevenue) {
}
