package io.crmhistory.command.infrastructure;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Snapshots for long customer histories, and retries of commands that lost an append race. */
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
     * Within one JVM Axon serialises commands per customer; across JVMs (several command-side
     * instances on one event store) two appends can race, and the loser gets a
     * {@link ConcurrencyException}. It is retried against the fresh state a few times; only that
     * exception is retried, a rejected command is never re-sent.
     */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus,
                                  List<MessageDispatchInterceptor<? super CommandMessage<?>>> dispatchInterceptors,
                                  @Value("${crm.commands.concurrency-retries:5}") int retries) {
        ScheduledExecutorService retryExecutor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
        RetryScheduler intervals = IntervalRetryScheduler.builder()
                .retryExecutor(retryExecutor).retryInterval(20).maxRetryCount(retries).build();
        RetryScheduler onlyConcurrencyConflicts = (command, failure, failures, dispatch) ->
                isConcurrencyConflict(failure) && intervals.scheduleRetry(command, failure, failures, dispatch);
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(onlyConcurrencyConflicts)
                .dispatchInterceptors(dispatchInterceptors)
                .build();
    }

    private static boolean isConcurrencyConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException) {
                return true;
            }
        }
        return false;
    }
}
