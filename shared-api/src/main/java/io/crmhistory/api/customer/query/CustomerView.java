package io.crmhistory.api.customer.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.crmhistory.api.customer.CustomerStatus;

import java.time.Instant;

/**
 * A customer as listed and looked up: profile, lifecycle status, current segment and value summary.
 * {@code segment} is {@code null} until the segment read model has seen the customer.
 *
 * @param personalDataErased whether the customer's personal data was erased on request: name, email
 *                           and phone are then absent for good
 * @param forecast the value forecast as of now; {@code null} until a value model has been fitted
 * @param version the customer's last event sequence the directory reflects
 */
public record CustomerView(String customerId,
                           String name,
                           String email,
                           String phone,
                           String country,
                           String acquisitionChannel,
                           CustomerStatus status,
                           Instant registeredAt,
                           @JsonInclude(JsonInclude.Include.ALWAYS) SegmentRef segment,
                           ValueSummary value,
                           boolean personalDataErased,
                           @JsonInclude(JsonInclude.Include.ALWAYS) ValueForecast forecast,
                           long version) {

    /** The segment the customer is in and the rule version that put them there. */
    public record SegmentRef(String name, int ruleVersion) {
    }

    /** Net revenue in the base currency (a decimal string), order count and last purchase. */
    public record ValueSummary(String baseCurrency, String netRevenue, long orderCount, Instant lastPurchaseAt) {
    }
}
