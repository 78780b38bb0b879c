package io.crmhistory.platform.config;

import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The data directory and the one clock every time-dependent rule reads. */
@AutoConfiguration
public class PlatformAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DataDirectory dataDirectory(@Value("${crm.data-dir:./data}") Path dataDir) {
        return new DataDirectory(dataDir);
    }

    /** {@code crm.clock.fixed} (an ISO instant) pins time, for tests and reproducible demos. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock(@Value("${crm.clock.fixed:}") String fixed) {
        Clock clock = fixed.isBlank()
                ? Clock.systemUTC()
                : Clock.fixed(Instant.parse(fixed), ZoneOffset.UTC);
        // Axon stamps every event (its recorded time) from a clock of its own, a JVM-wide static; it reads this
        // one too, so pinning time pins recorded times as well and the audit's recorded axis agrees with it.
        GenericEventMessage.clock = clock;
        return clock;
    }
}
