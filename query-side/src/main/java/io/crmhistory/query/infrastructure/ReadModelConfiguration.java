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
import java.util.Map;

/** The base currency and conversion rates every read model converts money with. */
@Configuration(proxyBeanMethods = false)
class ReadModelConfiguration {

    /** {@code crm.base-currency} (default EUR) and {@code crm.fx-rates.<CODE>=<rate>}; refuses to start on nonsense. */
    @Bean
    FxRates fxRates(Environment environment) {
        String base = environment.getProperty("crm.base-currency", "EUR").trim();
        requireCurrency("crm.base-currency", base);
        Map<String, BigDecimal> rates = Binder.get(environment)
                .bind("crm.fx-rates", Bindable.mapOf(String.class, BigDecimal.class)).orElse(Map.of());
        rates.forEach((currency, rate) -> {
            requireCurrency("crm.fx-rates." + currency, currency);
            if (rate == null || rate.signum() <= 0) {
                throw new RefusedSetting("crm.fx-rates." + currency, "must be a positive number");
            }
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
