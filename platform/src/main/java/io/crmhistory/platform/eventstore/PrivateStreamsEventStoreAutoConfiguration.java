package io.crmhistory.platform.eventstore;

import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Axon's embedded event store with every streaming processor reading the store through its own stream. Axon's
 * default shares one in-memory list of the newest events between the processors at the head; a processor that
 * falls behind while writes keep coming (the query side during a bulk import) kept every event from its position
 * to the head reachable: 457,000 events, the whole 1 GiB heap, in a run at 100,000 customers (Axon issue #2954).
 * The query side's read models share their reads through a window of fixed size instead ({@code SharedEventStream}).
 */
// After Axon's JDBC auto-configuration (some of its beans step back once an event store exists), before its core one.
@AutoConfiguration(after = {EventStorageEngineAutoConfiguration.class, JdbcAutoConfiguration.class},
        before = AxonAutoConfiguration.class)
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false", matchIfMissing = true)
public class PrivateStreamsEventStoreAutoConfiguration {

    /** Built as Axon's auto-configuration builds it, except for {@code optimizeEventConsumption(false)}. */
    @Qualifier("eventStore")
    @Bean(name = "eventBus")
    @ConditionalOnMissingBean(EventBus.class)
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .optimizeEventConsumption(false)
                .build();
    }

}
