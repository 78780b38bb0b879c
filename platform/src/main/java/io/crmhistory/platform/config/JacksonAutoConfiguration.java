package io.crmhistory.platform.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.crmhistory.api.money.Money;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;

import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The one ObjectMapper of each application (Spring MVC and Axon's serializer both use it) writes
 * money as exactly {@code {"value": "149.90", "currency": "EUR"}}: without this, Jackson would
 * also write {@link Money}'s {@code isNegative()}/{@code isPositive()} as properties, into every
 * stored event. It reads times in the shape they are written without a general parser
 * ({@link UtcTimeDeserializer}).
 */
@AutoConfiguration(before = org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration.class)
public class JacksonAutoConfiguration {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer crmMoneyFormat() {
        return builder -> builder.mixIn(Money.class, MoneyFormat.class);
    }

    @Bean
    Jackson2ObjectMapperBuilderCustomizer crmTimeReading() {
        return builder -> builder.deserializerByType(Instant.class, UtcTimeDeserializer.instants())
                .deserializerByType(OffsetDateTime.class, UtcTimeDeserializer.offsetTimes());
    }

    @JsonIgnoreProperties(value = {"negative", "positive"}, allowGetters = false)
    abstract static class MoneyFormat {
    }
}
