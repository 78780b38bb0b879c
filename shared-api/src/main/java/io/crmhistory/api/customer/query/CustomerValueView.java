package io.crmhistory.api.customer.query;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The customer's value. Money figures are decimal strings in {@code baseCurrency}; purchases and refunds
 * in a currency without a configured rate are left out of them, kept in {@code perCurrency} and listed in
 * {@code unconvertedCurrencies}. {@code revenueLast12Months} is relative to {@code asOf}, the moment of
 * the query. {@code forecast} is the value forecast as of {@code asOf} ({@code null} until a value model has been
 * fitted, and in an audit's as-of state).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CustomerValueView(String customerId,
                                String baseCurrency,
                                String netRevenue,
                                String grossRevenue,
                                String refunded,
                                long orderCount,
                                long refundCount,
                                String averageOrderValue,
                                Instant firstPurchaseAt,
                                Instant lastPurchaseAt,
                                String revenueLast12Months,
                                long contactCount,
                                Instant lastContactAt,
                                Map<String, CurrencyTotals> perCurrency,
                                List<String> unconvertedCurrencies,
                                ValueForecast forecast,
                                Instant asOf,
                                long version) {

    /** Totals in one original currency. */
    public record CurrencyTotals(String gross, String refunded, String net, long orders, long refunds) {
    }
}
