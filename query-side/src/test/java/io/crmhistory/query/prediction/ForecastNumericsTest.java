package io.crmhistory.query.prediction;

import io.crmhistory.api.customer.query.ValueForecast;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ForecastNumericsTest {

    @Test
    void hypergeometricMatchesClosedForms() {
        for (double z : new double[] {0, 0.1, 0.5, 0.9, 0.99}) {
            double logSeries = z == 0 ? 1 : -Math.log(1 - z) / z;
            assertThat(Hypergeometric.f21(1, 1, 2, z)).as("2F1(1,1;2;%s)", z).isCloseTo(logSeries, within(1e-12));
            assertThat(Hypergeometric.f21(2.5, 3, 3, z)).as("2F1(a,b;b;%s)", z)
                    .isCloseTo(Math.pow(1 - z, -2.5), within(1e-9 * Math.pow(1 - z, -2.5)));
            double w = Math.sqrt(z);
            double arcsin = w == 0 ? 1 : Math.asin(w) / w;
            assertThat(Hypergeometric.f21(0.5, 0.5, 1.5, z)).as("2F1(1/2,1/2;3/2;%s)", z).isCloseTo(arcsin, within(1e-12));
        }
    }

    @Test
    void hypergeometricRefusesArgumentsOutsideItsDomain() {
        assertThatThrownBy(() -> Hypergeometric.f21(1, 1, 2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hypergeometric.f21(1, 1, -2, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A rate far outside any fitted data (a mean of thousands of purchases a week) over ten years puts the series of
     * the expected purchases at z = 1 - 2e-7, where it does not converge: no forecast, where it used to throw out of
     * the list's refresh, the segment projection and the reads.
     */
    @Test
    void aForecastWhoseSeriesDoesNotConvergeIsUnavailable() {
        ValueModelVersion model = new ValueModelVersion(1, new BgNbd(0.243, 1e-4, 0.793, 2.426), 0, 1,
                new GammaGamma(6.25, 3.74, 15.44), 0, 1, LocalDate.parse("2025-01-01"), 520, "USD", "ops",
                Instant.parse("2025-01-01T00:00:00Z"));
        List<Map.Entry<Instant, BigDecimal>> boughtToday = List.of(entry("2025-01-29T09:00:00Z", "10"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
        try {
            assertThat(Forecasts.forecast(model, boughtToday, LocalDate.parse("2025-01-29"), 520)).isEmpty();
            assertThat(meters.counter(Forecasts.UNAVAILABLE).count()).isEqualTo(1);
        } finally {
            Metrics.removeRegistry(meters);
        }
        assertThat(Forecasts.forecast(model, List.of(entry("2024-01-29T09:00:00Z", "10")), LocalDate.parse("2025-01-29"),
                520)).as("a customer of a year ago").isPresent();
    }

    /** Money in the base currency's minor digits, as every other figure: none for JPY, three for KWD. */
    @Test
    void forecastMoneyHasTheBaseCurrencysMinorDigits() {
        List<Map.Entry<Instant, BigDecimal>> history = List.of(entry("2024-06-01T09:00:00Z", "1000"),
                entry("2024-09-01T09:00:00Z", "1500"));
        for (Map.Entry<String, Integer> currency : Map.of("JPY", 0, "EUR", 2, "KWD", 3).entrySet()) {
            ValueModelVersion model = new ValueModelVersion(1, new BgNbd(0.243, 4.414, 0.793, 2.426), 0, 1,
                    new GammaGamma(6.25, 3.74, 15.44), 0, 1, LocalDate.parse("2025-01-01"), 52, currency.getKey(),
                    "ops", Instant.parse("2025-01-01T00:00:00Z"));

            ValueForecast forecast = Forecasts.forecast(model, history, LocalDate.parse("2025-01-29"), 52).orElseThrow();
            ValueForecast none = Forecasts.forecast(model, List.of(), LocalDate.parse("2025-01-29"), 52).orElseThrow();

            assertThat(new BigDecimal(forecast.predictedRevenue()).scale()).as(currency.getKey())
                    .isEqualTo(currency.getValue());
            assertThat(new BigDecimal(forecast.expectedOrderValue()).scale()).isEqualTo(currency.getValue());
            assertThat(none.predictedRevenue()).isEqualTo(BigDecimal.ZERO.setScale(currency.getValue()).toPlainString());
        }
    }

    @Test
    void purchasesOnOneDayAreOneTransactionAndLaterOnesAreLeftOut() {
        List<Map.Entry<Instant, BigDecimal>> purchases = List.of(
                entry("2025-01-01T09:00:00Z", "10"), entry("2025-01-01T18:00:00Z", "5"),
                entry("2025-01-15T10:00:00Z", "20"), entry("2025-01-29T23:59:59Z", "40"),
                entry("2025-02-01T00:00:00Z", "1000"));

        PurchaseSummary summary = PurchaseSummary.of(purchases, LocalDate.parse("2025-01-29"));

        assertThat(summary.x()).isEqualTo(2);
        assertThat(summary.tx()).isEqualTo(4.0);
        assertThat(summary.t()).isEqualTo(4.0);
        assertThat(summary.zbar()).isEqualTo(30.0);
        assertThat(PurchaseSummary.of(purchases, LocalDate.parse("2024-12-31"))).isNull();
    }

    @Property(tries = 300)
    void probabilityAliveIsAProbabilityAndOneWithoutRepeats(@ForAll("models") BgNbd model,
                                                           @ForAll @IntRange(max = 50) int x,
                                                           @ForAll @DoubleRange(min = 0, max = 1) double txShare,
                                                           @ForAll @DoubleRange(min = 0.1, max = 200) double t) {
        PurchaseSummary summary = new PurchaseSummary(x, x == 0 ? 0 : txShare * t, t, x == 0 ? 0 : 10);
        double alive = model.probabilityAlive(summary);
        assertThat(alive).isBetween(0.0, 1.0);
        if (x == 0) {
            assertThat(alive).isEqualTo(1.0);
        }
    }

    @Property(tries = 300)
    void expectedPurchasesAreNonNegativeAndGrowWithTheHorizon(@ForAll("models") BgNbd model,
                                                             @ForAll @IntRange(max = 30) int x,
                                                             @ForAll @DoubleRange(min = 0, max = 1) double txShare,
                                                             @ForAll @DoubleRange(min = 0.1, max = 100) double t,
                                                             @ForAll @DoubleRange(min = 0, max = 100) double horizon) {
        PurchaseSummary summary = new PurchaseSummary(x, x == 0 ? 0 : txShare * t, t, x == 0 ? 0 : 10);
        double shorter = model.expectedPurchases(horizon, summary);
        double longer = model.expectedPurchases(horizon + 10, summary);
        assertThat(shorter).isGreaterThanOrEqualTo(0);
        assertThat(longer).isGreaterThanOrEqualTo(shorter - 1e-9);
    }

    /** Found by the property above: a model with a + b = 1 put 2F1 on its pole for a customer without repeats. */
    @Test
    void expectedPurchasesAreContinuousWhereAPlusBIsOne() {
        PurchaseSummary noRepeat = new PurchaseSummary(0, 0, 12.5, 0);
        BgNbd onThePole = new BgNbd(0.05, 0.8, 0.87, 0.13);

        double atOne = onThePole.expectedPurchases(1.0, noRepeat);

        assertThat(atOne).isPositive()
                .isCloseTo(new BgNbd(0.05, 0.8, 0.87 + 1e-7, 0.13).expectedPurchases(1.0, noRepeat), org.assertj.core.data.Percentage.withPercentage(0.01))
                .isCloseTo(new BgNbd(0.05, 0.8, 0.87 - 1e-7, 0.13).expectedPurchases(1.0, noRepeat), org.assertj.core.data.Percentage.withPercentage(0.01));
    }

    /**
     * A customer who bought every day for a year, over the longest horizon asked for (520 weeks): equation 10's factors
     * taken one by one are 0 and infinity in double precision, and the forecast was NaN (a 500, and a stalled refresh).
     */
    @Test
    void aFrequentBuyerOverALongHorizonHasAFiniteForecastThatGrowsWithIt() {
        BgNbd cdnow = new BgNbd(0.243, 4.414, 0.793, 2.426);
        PurchaseSummary daily = new PurchaseSummary(364, 52, 52, 25);

        double decade = cdnow.expectedPurchases(520, daily);
        double year = cdnow.expectedPurchases(52, daily);

        // Below the rate they bought at (7 a week, 6.46 expected by the model while alive), the drop-out risk weighing more with time.
        assertThat(year).isFinite().isGreaterThan(52 * 4.0).isLessThan(52 * 6.5);
        assertThat(decade).isFinite().isGreaterThan(year).isLessThan(520 * 6.5);
    }

    /** Euler's transformation changes no figure where the untransformed product could be computed. */
    @Property(tries = 300)
    void expectedPurchasesAreEquationTenAsWritten(@ForAll("models") BgNbd model, @ForAll @IntRange(max = 30) int x,
                                                 @ForAll @DoubleRange(min = 0, max = 1) double txShare,
                                                 @ForAll @DoubleRange(min = 0.1, max = 100) double t,
                                                 @ForAll @DoubleRange(min = 0.1, max = 104) double horizon) {
        PurchaseSummary summary = new PurchaseSummary(x, x == 0 ? 0 : txShare * t, t, x == 0 ? 0 : 10);
        double c = model.a() + model.b() + x - 1;
        net.jqwik.api.Assume.that(Math.abs(c) > 1e-3);
        double z = horizon / (model.alpha() + t + horizon);
        double power = Math.pow((model.alpha() + t) / (model.alpha() + t + horizon), model.r() + x);
        double asWritten = c / (model.a() - 1)
                * (1 - power * Hypergeometric.f21(model.r() + x, model.b() + x, c, z));
        double odds = x == 0 ? 0 : 1 + Math.exp(Math.log(model.a()) - Math.log(model.b() + x - 1)
                + (model.r() + x) * Math.log((model.alpha() + t) / (model.alpha() + summary.tx())));
        double expected = Math.max(0, asWritten / (x == 0 ? 1 : odds));

        assertThat(model.expectedPurchases(horizon, summary)).isCloseTo(expected, within(1e-7 * Math.max(1, expected)));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<BgNbd> models() {
        net.jqwik.api.arbitraries.DoubleArbitrary positive = net.jqwik.api.Arbitraries.doubles().between(0.05, 10);
        return net.jqwik.api.Combinators.combine(positive, positive, positive, positive)
                .filter((r, alpha, a, b) -> Math.abs(a - 1) > 1e-3)
                .as(BgNbd::new);
    }

    private static Map.Entry<Instant, BigDecimal> entry(String at, String amount) {
        return new AbstractMap.SimpleEntry<>(Instant.parse(at), new BigDecimal(amount));
    }
}
