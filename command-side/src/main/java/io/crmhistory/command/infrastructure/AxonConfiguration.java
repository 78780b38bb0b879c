package io.crmhistory.command.infrastructure;

import io.crmhistory.platform.concurrent.DaemonThreads;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.caching.EhCache3Adapter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.core.Ehcache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Snapshots and a cache for long customer histories, retries of commands that lost an append race, and the event
 * store's connections.
 */
@Configuration(proxyBeanMethods = false)
class AxonConfiguration {

    /**
     * A customer whose history grows past {@code crm.snapshot.threshold} events (default 100) since
     * its last snapshot gets a new one, so loading it stays fast however long the relationship.
     */
    @Bean
    SnapshotTriggerDefinition customerSnapshotTrigger(Snapshotter snapshotter,
                                                      @Value("${crm.snapshot.threshold:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    /**
     * The customers handled most recently, kept in memory ({@code crm.commands.aggregate-cache-size} entries,
     * default 10,000, least recently used go first), so a command for a customer in the cache appends without
     * reading its snapshot and events again: without it, importing one long history slowed to ~30 commands/s
     * as the history grew. Axon drops a customer from the cache when its unit of work rolls back, so an append
     * that lost a race with another instance is retried (see {@link #commandGateway}) against the stored state.
     */
    @Bean(destroyMethod = "close")
    CacheManager aggregateCacheManager() {
        return CacheManagerBuilder.newCacheManagerBuilder().build(true);
    }

    @Bean
    Cache customerCache(CacheManager aggregateCacheManager,
                        @Value("${crm.commands.aggregate-cache-size:10000}") long entries) {
        // The adapter takes Ehcache's implementation type, which is what the manager creates.
        return new EhCache3Adapter((Ehcache<Object, Object>) aggregateCacheManager.createCache("customers",
                CacheConfigurationBuilder.newCacheConfigurationBuilder(Object.class, Object.class,
                        ResourcePoolsBuilder.heap(entries))));
    }

    /**
     * The event store's connection is the Spring transaction's own, committed and rolled back by Spring alone (every
     * unit of work here runs in a Spring transaction). Axon's default wraps this provider in a
     * {@code UnitOfWorkAwareConnectionProviderWrapper}, which also rolls the connection back whenever a unit of work
     * rolls back: in a transaction that holds a batch of commands ({@link CommandLanes}) one refused command undid the
     * whole batch, where Spring rolls back to that command's savepoint only.
     */
    @Bean
    ConnectionProvider connectionProvider(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    /** Picked up by Axon's aggregate configuration in place of its own annotation resolver. */
    @Bean
    CommandTargetResolver commandTargetResolver() {
        return new CachedCommandTargetResolver();
    }

    /**
     * Within one JVM Axon serialises commands per customer; across JVMs (several command-side
     * instances on one event store) two appends can race, and the loser gets a
     * {@link ConcurrencyException} (or, for a stream both started, an {@link LostRace AggregateStreamCreationException}).
     * It is retried against the fresh state a few times; only such a lost race is retried, a rejected command is never re-sent. Dispatched to this JVM's handlers
     * ({@link LocalCommandBus}), so a handler's exception reaches the caller as it was thrown.
     */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus,
                                  List<MessageDispatchInterceptor<? super CommandMessage<?>>> dispatchInterceptors,
                                  @Value("${crm.commands.concurrency-retries:5}") int retries) {
        ScheduledExecutorService retryExecutor =
                Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("command-retry"));
        RetryScheduler intervals = IntervalRetryScheduler.builder()
                .retryExecutor(retryExecutor).retryInterval(20).maxRetryCount(retries).build();
        RetryScheduler onlyConcurrencyConflicts = (command, failure, failures, dispatch) ->
                LostRace.is(failure) && intervals.scheduleRetry(command, failure, failures, dispatch);
        return DefaultCommandGateway.builder()
                .commandBus(LocalCommandBus.of(commandBus))
                .retryScheduler(onlyConcurrencyConflicts)
                .dispatchInterceptors(dispatchInterceptors)
                .build();
    }
}
