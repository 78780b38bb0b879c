package io.crmhistory.query.projection;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Currency;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The deployment's base currency and its fixed conversion rates ({@code crm.base-currency},
 * {@code crm.fx-rates.<CODE>}: one unit of CODE in the base currency). Amounts are converted per
 * currency total and rounded half-even to the base currency's minor digits, so every read model that
 * converts the same totals shows the same figure. A currency without a rate is never guessed at.
 */
public record FxRates(String baseCurrency, Map<String, BigDecimal> rates) {

    public FxRates {
        rates = Map.copyOf(new TreeMap<>(rates));
    }

    public static FxRates baseOnly(String baseCurrency) {
        return new FxRates(baseCurrency, Map.of());
    }

    public boolean converts(String currency) {
        return baseCurrency.equals(currency) || rates.containsKey(currency);
    }

    /** {@code amount} of {@code currency} in the base currency, or empty without a rate. */
    public Optional<BigDecimal> toBase(String currency, BigDecimal amount) {
        if (baseCurrency.equals(currency)) {
            return Optional.of(scaled(amount));
        }
        BigDecimal rate = rates.get(currency);
        return rate == null ? Optional.empty() : Optional.of(scaled(amount.multiply(rate)));
    }

    /** The sum of the convertible totals in the base currency; the others are left out (see {@link #unconverted}). */
    public BigDecimal sumInBase(Map<String, BigDecimal> perCurrency) {
        BigDecimal sum = scaled(BigDecimal.ZERO);
        for (Map.Entry<String, BigDecimal> entry : perCurrency.entrySet()) {
            sum = sum.add(toBase(entry.getKey(), entry.getValue()).orElse(BigDecimal.ZERO));
        }
        return sum;
    }

    /** The currencies among {@code currencies} that have no rate, sorted. */
    public java.util.List<String> unconverted(Collection<String> currencies) {
        return currencies.stream().filter(currency -> !converts(currency)).sorted().distinct().toList();
    }

    public BigDecimal scaled(BigDecimal amount) {
        return amount.setScale(minorDigits(), RoundingMode.HALF_EVEN);
    }

    public int minorDigits() {
        return minorDigits(baseCurrency);
    }

    /** The currency's minor digits (2 for EUR, 0 for JPY, 3 for KWD); 2 for a code Java does not know. */
    public static int minorDigits(String currency) {
        try {
            return Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
        } catch (IllegalArgumentException unknown) {
            return 2;
        }
    }
}
