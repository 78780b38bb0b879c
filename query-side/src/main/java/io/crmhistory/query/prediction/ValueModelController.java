package io.crmhistory.query.prediction;

import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.FieldProblem;
import io.crmhistory.query.projection.UnknownCustomerException;
import io.crmhistory.query.value.PurchaseHistories;
import io.crmhistory.query.web.Parameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.Principal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import io.crmhistory.api.customer.query.ValueForecast;

/** Fitting the value forecast (ops), reading its versions and a customer's forecast (reader). */
@RestController
@Tag(name = "value forecast", description = "The BG/NBD + Gamma-Gamma forecast: fitting it (role ops), its versions and a customer's forecast (role reader)")
class ValueModelController {

    static final int DEFAULT_HORIZON_WEEKS = 52;
    /** Ten years: the models say nothing useful beyond, and 2F1 converges ever more slowly. */
    static final int MAX_HORIZON_WEEKS = 520;

    private final ValueModels models;
    private final PurchaseHistories purchases;
    private final Clock clock;

    ValueModelController(ValueModels models, PurchaseHistories purchases, Clock clock) {
        this.models = models;
        this.purchases = purchases;
        this.clock = clock;
    }

    /** @param request optional: {@code calibrationEnd} (YYYY-MM-DD, default today) and {@code horizonWeeks} (default 52) */
    @Operation(summary = "Fit a new version of the forecast (role ops)")
    @ApiResponse(responseCode = "201", description = "Fitted: the new version")
    @PostMapping(path = "/api/ops/value-model/fit", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ValueModelVersion> fit(@RequestBody(required = false) FitRequest request, Principal principal) {
        FitRequest given = request == null ? new FitRequest(null, null) : request;
        LocalDate calibrationEnd = date("calibrationEnd", given.calibrationEnd());
        int horizon = horizon(given.horizonWeeks(), DEFAULT_HORIZON_WEEKS);
        return ResponseEntity.status(HttpStatus.CREATED).body(models.fit(calibrationEnd, horizon, principal.getName()));
    }

    /** The fit running now, or the last one (this instance), with its progress. */
    @Operation(summary = "Progress of the fit under way (role ops)")
    @GetMapping("/api/ops/value-model/fit")
    FitProgress fitProgress() {
        return models.progress().orElseThrow(() -> new ClientInputException(HttpStatus.NOT_FOUND, List.of(
                new FieldProblem("fit", "no fit has run on this instance since it started"))));
    }

    @Operation(summary = "The forecast version in force")
    @GetMapping("/api/value-model")
    ValueModelVersion current() {
        return models.current().orElseThrow(ValueModelController::noModel);
    }

    @Operation(summary = "Every fitted version of the forecast")
    @GetMapping("/api/value-model/versions")
    List<ValueModelVersion> versions() {
        return models.versions();
    }

    @Operation(summary = "A customer's forecast")
    @GetMapping("/api/customers/{customerId}/prediction")
    PredictionView prediction(@PathVariable String customerId, @RequestParam(required = false) Integer horizonWeeks,
                              @RequestParam(required = false) String asOf) {
        String id = Parameters.customerId(customerId);
        LocalDate at = date("asOf", asOf);
        ValueModelVersion model = models.current().orElseThrow(ValueModelController::noModel);
        int horizon = horizon(horizonWeeks, model.horizonWeeks());
        List<Map.Entry<Instant, BigDecimal>> history = purchases.of(id).orElseThrow(() -> new UnknownCustomerException(id));
        PurchaseSummary summary = PurchaseSummary.of(history, at);
        ValueForecast forecast = Forecasts.forecast(model, summary, horizon).orElseThrow(() ->
                new ClientInputException("horizonWeeks", "gives no forecast for this customer with value model version "
                        + model.version() + ": its expected purchases over " + horizon
                        + " weeks do not converge; a shorter horizon may"));
        // Without a purchase by asOf: no summary, null figures and a predicted revenue of 0, as the value view shows.
        return new PredictionView(id, model.version(), at, horizon, summary == null ? null
                : new PredictionView.Summary(summary.x(), round(summary.tx()), round(summary.t()), round(summary.zbar())),
                forecast.probabilityAlive(), forecast.expectedPurchases(), forecast.expectedOrderValue(),
                forecast.predictedRevenue(), model.baseCurrency());
    }

    private LocalDate date(String field, String value) {
        return date(field, value, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }

    /** A date (YYYY-MM-DD) or a timestamp with offset (its UTC day), not after {@code today}; today when absent. */
    static LocalDate date(String field, String value, LocalDate today) {
        if (value == null || value.isBlank()) {
            return today;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(value.trim());
        } catch (DateTimeParseException notADate) {
            // The contract's timestamps are ISO-8601 with an offset; the model counts whole days (UTC).
            try {
                date = Parameters.instant(field, value).atOffset(ZoneOffset.UTC).toLocalDate();
            } catch (ClientInputException notATimestamp) {
                throw new ClientInputException(field, "is neither a date (YYYY-MM-DD) nor an ISO-8601 date-time with "
                        + "offset: '" + value + "'");
            }
        }
        if (date.getYear() < 1 || date.getYear() > 9999) {
            // as a timestamp in those years is (Parameters.instant): nothing is stored or answered outside them
            throw new ClientInputException(field, Parameters.RANGE);
        }
        if (date.isAfter(today)) {
            throw new ClientInputException(field, "is in the future (today is " + today + ")");
        }
        return date;
    }

    private static int horizon(Integer weeks, int fallback) {
        if (weeks == null) {
            return fallback;
        }
        if (weeks < 1 || weeks > MAX_HORIZON_WEEKS) {
            throw new ClientInputException("horizonWeeks", "must be between 1 and " + MAX_HORIZON_WEEKS);
        }
        return weeks;
    }

    private static ClientInputException noModel() {
        return new ClientInputException(HttpStatus.NOT_FOUND, List.of(new FieldProblem("version",
                "no value model has been fitted yet (POST /api/ops/value-model/fit, role ops)")));
    }

    private static double round(double value) {
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** The body of a fit request; both fields optional. */
    record FitRequest(String calibrationEnd, Integer horizonWeeks) {
    }
}
