package io.crmhistory.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.springboot.autoconfig.MicrometerMetricsAutoConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import java.time.Duration;

/** Axon's meters registered once, the capacity over {@code crm.metrics.capacity-window} (default 10 s); see {@link PreboundMetricRegistry}. */
@AutoConfiguration(before = MicrometerMetricsAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(GlobalMetricRegistry.class)
public class AxonMetricsAutoConfiguration {

    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    GlobalMetricRegistry globalMetricRegistry(MeterRegistry meterRegistry,
                                              @Value("${crm.metrics.capacity-window:10s}") Duration capacityWindow) {
        return new PreboundMetricRegistry(meterRegistry, capacityWindow);
    }
}
