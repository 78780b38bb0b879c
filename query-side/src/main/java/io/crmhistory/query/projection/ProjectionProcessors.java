package io.crmhistory.query.projection;

import io.crmhistory.platform.concurrent.DaemonThreads;
import io.crmhistory.platform.privacy.CustomerKeyStore;
import io.crmhistory.query.privacy.PersonalDataUse;
import io.crmhistory.query.privacy.PersonalDataViews;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.deadletter.DeadLetteringEventHandlerInvoker;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventhandling.deadletter.MongoSequencedDeadLetterQueue;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one pooled streaming processor per read-model version the {@link ProjectionCatalog} wants: the
 * live version of every read model, and the version being rebuilt beside it. The set is reconciled at
 * start, after every catalog change of this instance and every few seconds (for the changes of other
 * instances), so a rebuild resumes after a restart and a finished one stops the replaced processor.
 * <p>
 * Tuned for a small machine: a single segment each (a customer's events, and the rule publications
 * between them, are handled in store order by one thread; a second instance waits as a hot standby), one
 * coordinator and one worker thread each, and large batches (one query to load a batch's customers and
 * one bulk write). No transaction manager: the tokens and documents are in MongoDB, which has no
 * transactions on the embedded server; a batch's documents are written before its token, and each
 * document remembers the last sequence applied, so a redelivered event is skipped.
 * <p>
 * An event a projection cannot handle goes to the processor's sequenced dead-letter queue (in MongoDB,
 * keyed by the processor's name), and the customer's later events queue behind it, while every other
 * customer carries on; an event delivered again after a crash is not queued twice. A failure to read or write
 * the read model is no poison event: it is rethrown, and the processor retries the batch.
 */
@Component
public class ProjectionProcessors implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProjectionProcessors.class);

    /** One processor of one read-model version, with its dead letters. */
    public record Running(ProjectionVersion version, PooledStreamingEventProcessor processor,
                          SequencedDeadLetterQueue<EventMessage<?>> deadLetters,
                          DeadLetteringEventHandlerInvoker invoker, List<ScheduledExecutorService> threads) {
    }

    private final List<ReadModel<?>> readModels;
    private final ProjectionCatalog catalog;
    private final ObjectProvider<Configuration> axon;
    private final TokenStore tokenStore;
    private final MongoTemplate axonMongo;
    private final Serializer serializer;
    private final ProjectionSettings settings;
    private final CustomerKeyStore keys;
    private final PersonalDataViews personalDataViews;
    private SharedEventStream sharedEvents;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private volatile boolean started;

    ProjectionProcessors(List<ReadModel<?>> readModels, ProjectionCatalog catalog, ObjectProvider<Configuration> axon,
                         TokenStore tokenStore, MongoTemplate axonMongo, @Qualifier("serializer") Serializer serializer,
                         CustomerKeyStore keys, PersonalDataViews personalDataViews, ProjectionSettings settings) {
        this.readModels = readModels;
        this.catalog = catalog;
        this.axon = axon;
        this.tokenStore = tokenStore;
        this.axonMongo = axonMongo;
        this.serializer = serializer;
        this.keys = keys;
        this.personalDataViews = personalDataViews;
        this.settings = settings;
    }

    public List<ReadModel<?>> readModels() {
        return readModels;
    }

    public Optional<ReadModel<?>> readModel(String name) {
        return readModels.stream().filter(model -> model.name().equals(name)).findFirst();
    }

    /** The processor of the live version of {@code projection}, when it runs here. */
    public Optional<Running> live(String projection) {
        return running(new ProjectionVersion(projection, catalog.live(projection)));
    }

    public Optional<Running> running(ProjectionVersion version) {
        return Optional.ofNullable(running.get(version.processorName()));
    }

    /**
     * Whether the live version of any of these projections runs here and has not yet reached the store's head
     * since it started (a fresh query side catching up, a restart after a long stop). Work that follows each
     * committed batch can wait until then and be done once for everyone.
     */
    public boolean liveCatchingUp(String... projections) {
        for (String projection : projections) {
            boolean behind = live(projection).map(r -> r.processor().processingStatus().values().stream()
                    .anyMatch(status -> !status.isCaughtUp())).orElse(false);
            if (behind) {
                return true;
            }
        }
        return false;
    }

    /** Starts the processors the catalog wants and stops the others. */
    @Scheduled(fixedDelayString = "${crm.projections.catalog-refresh-interval:2000}",
            initialDelayString = "${crm.projections.catalog-refresh-interval:2000}")
    public synchronized void reconcile() {
        if (!started) {
            return;
        }
        Set<String> wanted = new HashSet<>();
        for (ReadModel<?> model : readModels) {
            ProjectionCatalog.Entry entry = catalog.entry(model.name());
            wanted.add(model.liveVersion().processorName());
            start(model, model.liveVersion(), settings.batchSize());
            entry.rebuildingVersion().ifPresent(version -> {
                wanted.add(version.processorName());
                start(model, version, settings.rebuildBatchSize());
            });
        }
        for (Running stale : List.copyOf(running.values())) {
            if (!wanted.contains(stale.version().processorName())) {
                stop(stale);
            }
        }
    }

    /** Forgets a retired version's tokens and dead letters (its processor was stopped). */
    public void forget(ProjectionVersion version) {
        axonMongo.trackingTokensCollection().deleteMany(new Document("processorName", version.processorName()));
        axonMongo.deadLetterCollection().deleteMany(new Document("processingGroup", version.processorName()));
    }

    /**
     * @param eventsPerBatch larger for a version being rebuilt than for a live one: nobody reads it yet, and the more
     *                       of a customer's events one batch holds, the fewer times its state is written (a version
     *                       keeps the size it started with until its processor stops)
     */
    private void start(ReadModel<?> model, ProjectionVersion version, int eventsPerBatch) {
        if (running.containsKey(version.processorName())) {
            return;
        }
        Configuration configuration = axon.getObject();
        Object handler = model.handlerFor(version);
        SequencedDeadLetterQueue<EventMessage<?>> deadLetters = new OncePerEventDeadLetterQueue<>(
                MongoSequencedDeadLetterQueue.<EventMessage<?>>builder()
                        .processingGroup(version.processorName())
                        .mongoTemplate(axonMongo)
                        .serializer(serializer)
                        .transactionManager(NoTransactionManager.INSTANCE)
                        .maxSequences(settings.deadLetterCustomers())
                        .maxSequenceSize(settings.deadLettersPerCustomer())
                        .build(),
                event -> model.heldBehindDeadLetters(version, event));
        DeadLetteringEventHandlerInvoker.Builder invokerBuilder = DeadLetteringEventHandlerInvoker.builder()
                .eventHandlers(handler)
                .parameterResolverFactory(configuration.parameterResolverFactory())
                .handlerDefinition(configuration.handlerDefinition(handler.getClass()))
                .listenerInvocationErrorHandler(PropagatingErrorHandler.instance())
                .queue(deadLetters)
                .enqueuePolicy(PoisonEventPolicy.INSTANCE)
                .transactionManager(NoTransactionManager.INSTANCE)
                // Without it every event asks the queue whether its customer has letters: a query per event.
                .enableSequenceIdentifierCache();
        DeadLetteringEventHandlerInvoker invoker = handler instanceof BatchedProjection batched
                ? new ReleaseAwareInvoker(invokerBuilder, batched) : invokerBuilder.build();
        EventSource events = events(configuration, model);
        CoordinatorScheduler coordinator =
                new CoordinatorScheduler(DaemonThreads.named("coordinator-" + version.processorName()));
        ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("projection-" + version.processorName()));
        PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
                .name(version.processorName())
                .eventHandlerInvoker(invoker)
                .errorHandler(PropagatingErrorHandler.instance())
                .messageMonitor(configuration.messageMonitor(PooledStreamingEventProcessor.class, version.processorName()))
                .messageSource(events.source())
                .tokenStore(tokenStore)
                .transactionManager(NoTransactionManager.INSTANCE)
                .coordinatorExecutor(coordinator)
                .workerExecutor(worker)
                .initialSegmentCount(1)
                // A version without a token (a new read model, a rebuild) starts from the first event. Axon's default
                // start wraps the token in a ReplayToken up to the head it saw then, for handlers that act differently
                // in a replay; these have none (a version is always built from the first event), and the wrapper's
                // check against that head cost 5 % of the projection thread in a value rebuild at a million customers.
                .initialToken(StreamableMessageSource::createTailToken)
                .batchSize(eventsPerBatch)
                .tokenClaimInterval(settings.tokenClaimInterval().toMillis())
                // A batch may take minutes (a rule publication re-evaluates every customer inside it): the coordinator
                // keeps extending the claim meanwhile, or another instance would take the segment after the token
                // store's claim timeout and both would project the same customers.
                .enableCoordinatorClaimExtension()
                .build();
        processor.registerHandlerInterceptor(new CustomerKeysPrefetch(keys, events.revealed()));
        if (handler instanceof BatchedProjection batched) {
            processor.registerHandlerInterceptor(new ProjectionBatchInterceptor(batched, coordinator));
        }
        running.put(version.processorName(), new Running(version, processor, deadLetters, invoker, List.of(coordinator, worker)));
        processor.start();
        log.info("Projection {} started (processor {})", version, version.processorName());
    }

    /** A processor's source of events, and which personal fields the events it reads from there now reveal. */
    private record EventSource(StreamableMessageSource<TrackedEventMessage<?>> source, Supplier<PersonalDataUse> revealed) {
    }

    /**
     * The processors' source of events: one read shared between them ({@link SharedEventStream}), unless set to 0. A
     * read model that uses fewer personal fields than all reads on its own (behind the others, as in a rebuild) with
     * the others left out ({@link PersonalDataViews}); the shared events are revealed ones.
     */
    private synchronized EventSource events(Configuration configuration, ReadModel<?> model) {
        PersonalDataUse use = model.personalDataUse();
        Optional<StreamableMessageSource<TrackedEventMessage<?>>> own = personalDataViews.source(use);
        if (settings.sharedWindow() == 0) {
            return own.map(source -> new EventSource(source, () -> use))
                    .orElseGet(() -> new EventSource(configuration.eventStore(), () -> PersonalDataUse.ALL));
        }
        if (sharedEvents == null) {
            sharedEvents = new SharedEventStream(configuration.eventStore(), settings.sharedWindow());
        }
        SharedEventStream.Readers readers = sharedEvents.readers(own.orElseGet(configuration::eventStore));
        return new EventSource(readers, own.isEmpty() ? () -> PersonalDataUse.ALL
                : () -> readers.readsWindow() ? PersonalDataUse.ALL : use);
    }

    private void stop(Running stale) {
        running.remove(stale.version().processorName());
        try {
            stale.processor().shutdownAsync().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Processor {} did not stop cleanly: {}", stale.version().processorName(), e.toString());
        }
        // The processor leaves the executors it was given running.
        stale.threads().forEach(ScheduledExecutorService::shutdownNow);
        log.info("Projection {} stopped", stale.version());
    }


    @Override
    public synchronized void start() {
        started = true;
        reconcile();
    }

    @Override
    public synchronized void stop() {
        started = false;
        List.copyOf(running.values()).forEach(this::stop);
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /** After Axon's own lifecycle has started, and stopped before it. */
    @Override
    public int getPhase() {
        return org.axonframework.spring.config.SpringAxonConfiguration.LIFECYCLE_PHASE + 1;
    }
}
