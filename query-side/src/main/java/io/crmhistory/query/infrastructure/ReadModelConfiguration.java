package io.crmhistory.query.infrastructure;

import io.crmhistory.platform.config.RefusedSetting;
import io.crmhistory.query.projection.FxRates;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The base currency and conversion rates every read model converts money with. */
@Configuration(proxyBeanMethods = false)
class ReadModelConfiguration {

    static final String DEFAULT_BASE = "EUR";
    /**
     * The example rate shipped for the CDNOW data (in USD): one US dollar in euros. It is a rate to EUR, so it applies
     * only where the base is EUR and no rates are configured; with another base it would be read as a rate to that.
     */
    static final Map<String, BigDecimal> DEFAULT_RATES_TO_EUR = Map.of("USD", new BigDecimal("0.92"));

    /** {@code crm.base-currency} (default EUR) and {@code crm.fx-rates.<CODE>=<rate>}; refuses to start on nonsense. */
    @Bean
    FxRates fxRates(Environment environment) {
        String base = environment.getProperty("crm.base-currency", DEFAULT_BASE).trim();
        requireCurrency("crm.base-currency", base);
        Map<String, BigDecimal> configured = Binder.get(environment)
                .bind("crm.fx-rates", Bindable.mapOf(String.class, BigDecimal.class)).orElse(null);
        if (configured == null) {
            return new FxRates(base, base.equals(DEFAULT_BASE) ? DEFAULT_RATES_TO_EUR : Map.of());
        }
        Map<String, BigDecimal> rates = new HashMap<>();
        configured.forEach((key, rate) -> {
            // Keys from environment variables (CRM_FXRATES_GBP) reach here lower-cased: codes are upper case.
            String currency = key.trim().toUpperCase(Locale.ROOT);
            requireCurrency("crm.fx-rates." + key, currency);
            if (rate == null || rate.signum() <= 0) {
                throw new RefusedSetting("crm.fx-rates." + key, "must be a positive number");
            }
            // One key per currency: Spring binds names case-insensitively, so "gbp" and "GBP" are one setting.
            rates.put(currency, rate);
        });
        return new FxRates(base, rates);
    }

    private static void requireCurrency(String property, String code) {
        try {
            if (!Currency.getInstance(code).getCurrencyCode().equals(code)) {
                throw new IllegalArgumentException(code);
            }
        } catch (IllegalArgumentException e) {
            throw new RefusedSetting(property, "'" + code + "' is not an ISO 4217 currency code");
        }
    }
}
