package io.crmhistory.platform.eventstore;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * The JDBC event store's schema, when Axon stores events through JDBC (the embedded H2 default or
 * PostgreSQL). With the {@code axonserver} profile Axon Server keeps the events and this is skipped.
 */
@AutoConfiguration(after = JdbcAutoConfiguration.class)
@ConditionalOnBean({DataSource.class, EventSchema.class})
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false", matchIfMissing = true)
public class EventStoreAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventStoreSchema eventStoreSchema(DataSource dataSource, EventSchema eventSchema) {
        return new EventStoreSchema(dataSource, eventSchema);
    }

    /** The embedded H2 file's compaction (see the class); not for PostgreSQL or an H2 reached over TCP only. */
    @Bean
    @ConditionalOnClass(name = "org.h2.jdbc.JdbcConnection")
    @ConditionalOnExpression("'${spring.datasource.url:}'.startsWith('jdbc:h2:file:')")
    EmbeddedH2Housekeeping embeddedH2Housekeeping(DataSource dataSource,
            @Value("${crm.eventstore.housekeeping.interval:1s}") Duration interval,
            @Value("${crm.eventstore.housekeeping.compact-below-percent:60}") int compactBelowPercent) {
        return new EmbeddedH2Housekeeping(dataSource, interval, compactBelowPercent, 32 << 20);
    }

    /** How large the embedded event store's file is and how much of it is live data: what ops watch for disk space. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class EventStoreFileMetrics {

        @Bean
        MeterBinder eventStoreFileMetrics(ObjectProvider<EmbeddedH2Housekeeping> housekeeping) {
            return registry -> housekeeping.ifAvailable(files -> {
                Gauge.builder("crm.eventstore.file.size", files, EmbeddedH2Housekeeping::fileBytes).baseUnit("bytes")
                        .description("Size of the embedded event store's file (NaN in the JVM that does not have it "
                                + "open)").register(registry);
                Gauge.builder("crm.eventstore.file.live", files, EmbeddedH2Housekeeping::liveShare)
                        .description("Share of the embedded event store's chunks that is live data, 0 to 1")
                        .register(registry);
                Gauge.builder("crm.eventstore.file.chunks", files, EmbeddedH2Housekeeping::chunkCount)
                        .description("Chunks in the embedded event store's file").register(registry);
            });
        }
    }
}
