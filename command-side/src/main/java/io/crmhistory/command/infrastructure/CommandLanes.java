package io.crmhistory.command.infrastructure;

import io.crmhistory.api.customer.command.CommandResult;
import io.crmhistory.api.customer.command.RegisterCustomer;
import io.crmhistory.platform.eventstore.EventStoreSchema;
import io.crmhistory.platform.privacy.CustomerKeyStore;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Group commit of customer commands, from HTTP requests and imports alike. A command goes to one of
 * {@code crm.commands.lanes} lanes chosen by its customer id; a lane takes what has queued up while its previous
 * transaction committed (up to {@code crm.commands.batch-size} commands) and records it in one database transaction,
 * so one durable commit (one store of H2's file, one flush of PostgreSQL's log) serves the batch instead of each
 * command paying its own. A command's future completes only once its batch has committed: what is answered as
 * accepted is committed (on the embedded H2 store handed to the operating system, so a killed process loses none of
 * it, and synced to the disk within a second by the store's housekeeping; PostgreSQL syncs its log per commit). One
 * customer's commands always share a lane and are recorded in the order they were
 * submitted. One client sending one command at a time sees a batch of one, recorded in its own transaction as without
 * lanes; the switch to the lane's thread and back is all it adds.
 * <p>
 * Each command of a batch runs in a savepoint: a rejected command (invalid, unknown customer or order, a conflict)
 * is undone alone and the rest of the batch commits. Any other failure (a race lost to another instance, a deadlock,
 * a broken connection, a failed commit) rolls the whole batch back, and its commands are then recorded one by one in
 * their order, each in its own transaction, through the gateway that retries lost races. The new customers' data keys
 * of a batch are stored together at its start, in its transaction ({@link CustomerKeyStore#createMissing}): they
 * commit with the registrations encrypted under them, or not at all.
 * <p>
 * The dispatch interceptors run on the submitting thread, as they would in Axon's gateway: they read the request
 * (user, correlation id), which the lane's thread does not have; its MDC is carried over to the lane for the logs.
 */
@Component
public class CommandLanes implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandLanes.class);
    /**
     * Just below the web server's own start and stop ({@code SMART_LIFECYCLE_PHASE - 1024}): the lanes start before
     * the first request arrives and stop after the last has been answered (graceful shutdown lets those in progress
     * finish), and after Axon's components have started and before they stop.
     */
    private static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1024 - 1;
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final CommandBus commandBus;
    private final CommandGateway retryingGateway;
    private final List<MessageDispatchInterceptor<? super CommandMessage<?>>> dispatchInterceptors;
    private final CommandTargetResolver targetResolver;
    private final TransactionTemplate batchTransaction;
    private final TransactionTemplate savepoint;
    private final CustomerKeyStore keys;
    private final Cache customerCache;
    private final DistributionSummary batchSizes;
    private final int batchSize;
    private final List<Lane> lanes = new ArrayList<>();
    private final ReadWriteLock accepting = new ReentrantReadWriteLock();
    private volatile boolean stopped;

    CommandLanes(CommandBus commandBus, CommandGateway retryingGateway,
                 List<MessageDispatchInterceptor<? super CommandMessage<?>>> dispatchInterceptors,
                 CommandTargetResolver targetResolver, PlatformTransactionManager transactions, CustomerKeyStore keys,
                 @Qualifier("customerCache") Cache customerCache, MeterRegistry meters,
                 @Value("${crm.commands.lanes:0}") int laneCount,
                 ObjectProvider<EventStoreSchema> jdbcEventStore,
                 @Value("${crm.commands.lane-capacity:256}") int laneCapacity,
                 @Value("${crm.commands.batch-size:100}") int batchSize) {
        this.commandBus = LocalCommandBus.of(commandBus);
        this.retryingGateway = retryingGateway;
        this.dispatchInterceptors = List.copyOf(dispatchInterceptors);
        this.targetResolver = targetResolver;
        this.batchTransaction = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.keys = keys;
        this.customerCache = customerCache;
        this.batchSizes = DistributionSummary.builder("crm.commands.batch")
                .description("Customer commands recorded per database transaction")
                .baseUnit("commands")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        this.batchSize = batchSize;
        // no JDBC event store (Axon Server keeps the events): not H2
        EventStoreSchema jdbcEvents = jdbcEventStore.getIfAvailable();
        int lanesToRun = lanesFor(laneCount, jdbcEvents != null && jdbcEvents.storesEventsInH2());
        for (int i = 0; i < lanesToRun; i++) {
            lanes.add(new Lane(i, laneCapacity));
        }
    }

    /**
     * The lanes to run: as configured, or (0) one when the events are stored in H2 and one per processor on any other
     * event store (PostgreSQL, Axon Server). H2 writes a commit under one lock for the whole file, so a second lane
     * only splits the commands that queue up meanwhile into two smaller batches that each pay a commit: on two cores,
     * from 16 clients, one lane took about a seventh less command-side CPU per command than two and answered 1.3 to
     * 1.8 times as many commands per second (as two did against four in session 33; docs/benchmarks-log.md, session 45).
     * PostgreSQL commits transactions side by side, so there one batch's commands can be handled while another
     * commits (one lane was not measured there); with Axon Server each command is its own batch.
     */
    static int lanesFor(int configured, boolean eventsInH2) {
        if (configured > 0) {
            return configured;
        }
        return eventsInH2 ? 1 : Runtime.getRuntime().availableProcessors();
    }

    int laneCount() {
        return lanes.size();
    }

    /**
     * Queues a customer command for its lane, waiting while the lane is full (back-pressure on the caller). The
     * future completes with the command's result once it is committed, or with the exception that rejected it.
     */
    public CompletableFuture<CommandResult> submit(Object command, Map<String, ?> metaData) {
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        CommandMessage<?> message;
        String customerId;
        try {
            message = intercepted(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData));
            customerId = targetResolver.resolveTarget(message).getIdentifier();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return result;
        }
        Task task = new Task(message, customerId, MDC.getCopyOfContextMap(), result);
        // Under the read lock, so that no command is queued behind a lane's end and left waiting.
        accepting.readLock().lock();
        try {
            if (stopped) {
                throw new CommandSideStoppingException();
            }
            lanes.get(Math.floorMod(customerId.hashCode(), lanes.size())).put(task);
        } finally {
            accepting.readLock().unlock();
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private CommandMessage<?> intercepted(CommandMessage<?> message) {
        CommandMessage<?> intercepted = message;
        for (MessageDispatchInterceptor<? super CommandMessage<?>> interceptor : dispatchInterceptors) {
            intercepted = (CommandMessage<?>) interceptor.handle(intercepted);
        }
        return intercepted;
    }

    @Override
    public void start() {
        lanes.forEach(Lane::start);
        log.info("Recording customer commands in {} lanes, up to {} commands per transaction", lanes.size(), batchSize);
    }

    /** Records what is queued, then ends the lanes; commands submitted from now on are refused. */
    @Override
    public void stop() {
        accepting.writeLock().lock();
        try {
            if (stopped) {
                return;
            }
            stopped = true;
            lanes.forEach(Lane::finish);
        } finally {
            accepting.writeLock().unlock();
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Lane lane : lanes) {
            lane.join(deadline);
        }
    }

    @Override
    public boolean isRunning() {
        return !stopped && lanes.stream().allMatch(Lane::isAlive);
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private record Task(CommandMessage<?> message, String customerId, Map<String, String> mdc,
                        CompletableFuture<CommandResult> result) {
        static final Task END = new Task(null, null, null, null);
    }

    /** How one command ended: its result or the exception that rejected it. */
    private record Outcome(CommandResult result, Throwable failure) {
        boolean recorded() {
            return failure == null && result.recorded();
        }

        void complete(Task task) {
            if (failure == null) {
                task.result().complete(result);
            } else {
                task.result().completeExceptionally(failure);
            }
        }
    }

    private final class Lane implements Runnable {

        private final BlockingQueue<Task> queue;
        private final Thread thread;

        Lane(int index, int capacity) {
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(this, "command-lane-" + index);
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        boolean isAlive() {
            return thread.isAlive();
        }

        void put(Task task) {
            try {
                queue.put(task);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for room in a command lane", e);
            }
        }

        void finish() {
            put(Task.END);
        }

        void join(long deadlineNanos) {
            try {
                thread.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            List<Task> batch = new ArrayList<>(batchSize);
            boolean ended = false;
            while (!ended) {
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                queue.drainTo(batch, batchSize - 1);
                ended = batch.remove(Task.END);
                try {
                    record(batch);
                } catch (Throwable unexpected) {
                    // Never leave a caller waiting: a batch that failed outside any command fails its commands (those
                    // not answered yet), and its customers are loaded from the store again.
                    log.error("A batch of {} commands failed", batch.size(), unexpected);
                    batch.forEach(task -> customerCache.remove(task.customerId()));
                    batch.forEach(task -> task.result().completeExceptionally(unexpected));
                }
                batch.clear();
            }
        }
    }

    private void record(List<Task> batch) {
        if (batch.size() <= 1) {
            // Nothing to share a commit with: the command's own transaction, without a batch and a savepoint around it.
            batch.forEach(this::recordAlone);
            return;
        }
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        boolean committed;
        try {
            committed = Boolean.TRUE.equals(batchTransaction.execute(status -> {
                Set<String> keysCreated = createKeysOfNewCustomers(batch);
                for (Task task : batch) {
                    try {
                        outcomes.add(new Outcome(savepoint.execute(point -> dispatchInBatch(task)), null));
                    } catch (RuntimeException e) {
                        if (!isRejection(e)) {
                            log.info("A batch of {} commands is rolled back ({}); recording them one by one",
                                    batch.size(), e.toString());
                            status.setRollbackOnly();
                            return false;
                        }
                        outcomes.add(new Outcome(null, e));
                    }
                }
                destroyKeysOfRefusedRegistrations(keysCreated, batch, outcomes);
                return true;
            }));
        } catch (RuntimeException e) {
            log.warn("A batch of {} commands could not be committed; recording them one by one", batch.size(), e);
            committed = false;
        }
        if (committed) {
            batchSizes.record(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                outcomes.get(i).complete(batch.get(i));
            }
        } else {
            // Each command's unit of work ended inside the batch's transaction and left its customer in the aggregate
            // cache with the events the rollback undid; loaded from there, a command would be taken for a duplicate of
            // itself and lost.
            batch.forEach(task -> customerCache.remove(task.customerId()));
            batch.forEach(this::recordAlone);
        }
    }

    /**
     * In the batch's transaction (the key store inserts in a savepoint): when the keys cannot be stored together
     * (another instance stored one of them meanwhile), only that insert is undone, and each registration then finds
     * or creates its customer's key itself.
     *
     * @return the customers whose key was created here
     */
    private Set<String> createKeysOfNewCustomers(List<Task> batch) {
        List<String> registered = batch.stream().filter(CommandLanes::isRegistration).map(Task::customerId).toList();
        if (registered.isEmpty()) {
            return Set.of();
        }
        try {
            return keys.createMissing(registered);
        } catch (RuntimeException e) {
            log.warn("The keys of {} new customers could not be created together", registered.size(), e);
            return Set.of();
        }
    }

    /**
     * Destroys, in the batch's transaction, the keys created for registrations the batch refused, so that they are
     * never stored. Such a key is needed by nobody: the customer existed already (an erased customer has no key, and
     * must never get one again, or its old ciphertexts would be tried with it), or the registration was invalid.
     */
    private void destroyKeysOfRefusedRegistrations(Set<String> keysCreated, List<Task> batch, List<Outcome> outcomes) {
        for (String customerId : keysCreated) {
            boolean registered = false;
            for (int i = 0; i < batch.size() && !registered; i++) {
                Task task = batch.get(i);
                registered = task.customerId().equals(customerId) && isRegistration(task) && outcomes.get(i).recorded();
            }
            if (!registered) {
                keys.destroy(customerId);
            }
        }
    }

    private static boolean isRegistration(Task task) {
        return task.message().getPayload() instanceof RegisterCustomer;
    }

    /** On the command bus directly: the gateway's retry of a lost race would run on another thread, outside the batch. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private CommandResult dispatchInBatch(Task task) {
        return withMdcOf(task, () -> {
            FutureCallback<Object, CommandResult> callback = new FutureCallback<>();
            commandBus.dispatch((CommandMessage) task.message(), callback);
            CommandResultMessage<? extends CommandResult> result = callback.getResult();
            if (result.isExceptional()) {
                throw asRuntime(result.exceptionResult());
            }
            return result.getPayload();
        });
    }

    private void recordAlone(Task task) {
        Outcome outcome;
        try {
            outcome = new Outcome(withMdcOf(task, () -> retryingGateway.sendAndWait(task.message())), null);
        } catch (RuntimeException e) {
            outcome = new Outcome(null, e);
        }
        batchSizes.record(1);
        outcome.complete(task);
    }

    private static CommandResult withMdcOf(Task task, Supplier<CommandResult> dispatch) {
        if (task.mdc() != null) {
            MDC.setContextMap(task.mdc());
        }
        try {
            return dispatch.get();
        } finally {
            MDC.clear();
        }
    }

    /** As Axon's gateway rethrows a handler's exception: unchecked as it is, checked wrapped. */
    private static RuntimeException asRuntime(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        return failure instanceof RuntimeException runtime ? runtime
                : new CommandExecutionException("the command failed: " + failure.getMessage(), failure);
    }

    /** A client's mistake or a business rule: the same command recorded alone would be refused the same way. */
    private static boolean isRejection(RuntimeException e) {
        return !LostRace.is(e) && !"error".equals(CommandDispatcher.outcomeOf(e));
    }
}
