package io.crmhistory.query.infrastructure;

import io.crmhistory.query.projection.Projections;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * One pooled streaming processor per read model, tuned for a small machine: a single segment each (so
 * a customer's events, and the rule publications between them, are handled in store order by one
 * thread; a second instance waits as a hot standby), one coordinator and one worker thread each, and
 * large batches (each batch is one query to load its customers and one bulk write).
 * <p>
 * The processors run without a transaction manager: the event store's JDBC transactions protect
 * nothing here (the documents and tokens are in MongoDB, which has no transactions on the embedded
 * server). Correctness comes from ordering instead: a batch's documents are written before its token,
 * and each document remembers the last sequence applied, so a redelivered event is skipped.
 * A failing batch is propagated (never logged and skipped), so the processor retries it.
 */
@Configuration(proxyBeanMethods = false)
class ProcessorConfiguration {

    @Autowired
    void configureProcessors(EventProcessingConfigurer processing,
                             @Value("${crm.projections.batch-size:500}") int batchSize,
                             @Value("${crm.projections.token-claim-interval:2s}") Duration tokenClaimInterval) {
        for (String group : Projections.ALL) {
            processing.registerPooledStreamingEventProcessor(group,
                    configuration -> configuration.eventStore(),
                    (configuration, builder) -> builder
                            .batchSize(batchSize)
                            .initialSegmentCount(1)
                            .tokenClaimInterval(tokenClaimInterval.toMillis())
                            .coordinatorExecutor(name -> singleThread("coordinator-" + group))
                            .workerExecutor(name -> singleThread("projection-" + group)));
            processing.registerTransactionManager(group, configuration -> NoTransactionManager.INSTANCE);
            processing.registerListenerInvocationErrorHandler(group, configuration -> PropagatingErrorHandler.instance());
        }
    }

    private static ScheduledExecutorService singleThread(String name) {
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newSingleThreadScheduledExecutor(factory);
    }
}
