package io.crmhistory.platform.eventstore;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;

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
}
