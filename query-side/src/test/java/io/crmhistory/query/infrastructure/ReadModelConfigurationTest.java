package io.crmhistory.query.infrastructure;

import io.crmhistory.platform.config.RefusedSetting;
import io.crmhistory.query.projection.FxRates;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadModelConfigurationTest {

    private final ReadModelConfiguration configuration = new ReadModelConfiguration();

    @Test
    void theShippedRateIsToEuroAndAppliesOnlyWhereTheBaseIsEuroAndNoRatesAreSet() {
        assertThat(configuration.fxRates(environment(Map.of())).rates()).isEqualTo(Map.of("USD", new BigDecimal("0.92")));
        FxRates pounds = configuration.fxRates(environment(Map.of("crm.base-currency", "GBP")));
        assertThat(pounds.baseCurrency()).isEqualTo("GBP");
        assertThat(pounds.rates()).isEmpty();
        assertThat(configuration.fxRates(environment(Map.of("crm.fx-rates.CHF", "0.95"))).rates())
                .isEqualTo(Map.of("CHF", new BigDecimal("0.95")));
    }

    /** Spring lower-cases the map keys of environment variables: CRM_FXRATES_GBP arrives as "gbp". */
    @Test
    void ratesFromEnvironmentVariablesAreReadByTheirCode() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("CRM_FXRATES_GBP", "1.17", "CRM_FXRATES_USD", "0.92")));

        assertThat(configuration.fxRates(environment).rates())
                .isEqualTo(Map.of("GBP", new BigDecimal("1.17"), "USD", new BigDecimal("0.92")));
    }

    @Test
    void nonsenseIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> configuration.fxRates(environment(Map.of("crm.fx-rates.XYZ", "1"))))
                .isInstanceOf(RefusedSetting.class).hasMessageContaining("crm.fx-rates.XYZ");
        assertThatThrownBy(() -> configuration.fxRates(environment(Map.of("crm.fx-rates.USD", "0"))))
                .isInstanceOf(RefusedSetting.class).hasMessageContaining("positive");
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
