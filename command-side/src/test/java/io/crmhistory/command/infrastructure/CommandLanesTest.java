package io.crmhistory.command.infrastructure;

import io.crmhistory.api.customer.command.CommandResult;
import io.crmhistory.api.customer.command.ErasePersonalData;
import io.crmhistory.api.customer.command.RecordPurchase;
import io.crmhistory.api.customer.command.RegisterCustomer;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.api.messaging.MetadataKeys;
import io.crmhistory.api.money.Money;
import io.crmhistory.command.customer.CustomerConflictException;
import io.crmhistory.platform.eventstore.EventStoreSchema;
import io.crmhistory.platform.privacy.CustomerKeyStore;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import io.crmhistory.platform.privacy.PersonalFields;
import io.crmhistory.platform.testing.TemporaryDataDirectory;
import io.crmhistory.platform.web.CorrelationIdFilter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.Distributed;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.TransactionSystemException;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit on the real command bus, aggregate cache and embedded event store. The lanes under test are made
 * here and started only once their commands are queued, so the batch they record is known: one lane, every command.
 */
@SpringBootTest(properties = {
        "crm.clock.fixed=2026-01-01T00:00:00Z",
        "crm.security.users.writer.password=writer-pw",
        "crm.security.users.writer.roles=writer",
        "crm.security.bcrypt-strength=4"})
class CommandLanesTest {

    private static final OffsetDateTime DAY = OffsetDateTime.parse("2025-12-01T10:00:00Z");
    /** Commands for this customer fail once, the way a deadlock or a broken connection would, then succeed. */
    private static final String FAILS_ONCE = "fails-once";
    /** This customer's registration is beaten by another instance's, appended between its load and its own append. */
    private static final String RACED = "raced-by-another-instance";
    /** A purchase of this customer is beaten by another instance's, appended at the sequence it was about to take. */
    private static final String RACED_PURCHASE = "purchase-raced-by-another-instance";

    static final Path DATA_DIR = TemporaryDataDirectory.create();

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("crm.data-dir", DATA_DIR::toString);
    }

    @TestConfiguration
    static class FailingOnce {
        static final Set<String> failed = ConcurrentHashMap.newKeySet();

        /** Registered on the command bus like the application's own handler interceptors. */
        @Bean
        MessageHandlerInterceptor<CommandMessage<?>> failsOnceForOneCustomer() {
            return (unitOfWork, chain) -> {
                Object payload = unitOfWork.getMessage().getPayload();
                if (payload instanceof RegisterCustomer register && register.customerId().equals(FAILS_ONCE)
                        && failed.add(FAILS_ONCE)) {
                    throw new IllegalStateException("the connection broke");
                }
                return chain.proceed();
            };
        }

        /**
         * Another instance registers {@link #RACED} after this one found the id free: its append commits (on a thread
         * and transaction of its own) just before this unit of work appends, so this one's append is the second at
         * sequence 0, as on two instances sharing PostgreSQL.
         */
        @Bean
        MessageHandlerInterceptor<CommandMessage<?>> anotherInstanceRegistersFirst(ObjectProvider<EventStore> eventStore) {
            return (unitOfWork, chain) -> {
                Object payload = unitOfWork.getMessage().getPayload();
                if (payload instanceof RegisterCustomer register && register.customerId().equals(RACED) && failed.add(RACED)) {
                    unitOfWork.onPrepareCommit(u -> appendElsewhere(eventStore.getObject(), RACED, 0,
                            new CustomerRegistered(RACED, "elsewhere", null, null, "GB", "web", DAY)));
                }
                if (payload instanceof RecordPurchase purchase && purchase.customerId().equals(RACED_PURCHASE)
                        && failed.add(RACED_PURCHASE)) {
                    unitOfWork.onPrepareCommit(u -> appendElsewhere(eventStore.getObject(), RACED_PURCHASE, 1,
                            new PurchaseRecorded(RACED_PURCHASE, "o-elsewhere", Money.of("5.00", "EUR"), List.of(), null, DAY)));
                }
                return chain.proceed();
            };
        }

        private static void appendElsewhere(EventStore eventStore, String customerId, long sequence, Object event) {
            CompletableFuture.runAsync(() -> eventStore.publish(
                    new GenericDomainEventMessage<>("Customer", customerId, sequence, event))).join();
        }
    }

    @Autowired
    ApplicationContext context;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private CommandLanes lanes;

    @AfterEach
    void stopLanes() {
        if (lanes != null) {
            lanes.stop();
        }
        SecurityContextHolder.clearContext();
        MDC.clear();
    }

    @Test
    void lanesAreAsConfiguredOrOneOnH2AndOnePerProcessorElsewhere() {
        assertThat(CommandLanes.lanesFor(3, true)).isEqualTo(3);
        assertThat(CommandLanes.lanesFor(0, true)).isEqualTo(1);
        assertThat(CommandLanes.lanesFor(0, false)).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void theEmbeddedEventStoreGetsOneLane() {
        assertThat(context.getBean(EventStoreSchema.class).storesEventsInH2()).isTrue();
        assertThat(context.getBean(CommandLanes.class).laneCount()).isEqualTo(1);
    }

    @Test
    void aBatchCommitsTogetherAndARefusedCommandIsUndoneAlone() {
        lanes = oneLaneNotStarted(context, meters);
        assertABatchCommitsTogetherAndARefusedCommandIsUndoneAlone(lanes, meters, context.getBean(EventStore.class), "batch-");
    }

    /** Also run on PostgreSQL ({@code CommandLanesOnPostgresTest}), where a failed statement aborts the transaction. */
    static void assertABatchCommitsTogetherAndARefusedCommandIsUndoneAlone(CommandLanes lanes, SimpleMeterRegistry meters,
                                                                         EventStore eventStore, String prefix) {
        String a = prefix + "a";
        String b = prefix + "b";
        String email = prefix + "shared@example.com";
        SecurityContextHolder.getContext().setAuthentication(
                new UsernamePasswordAuthenticationToken("alice", null, AuthorityUtils.createAuthorityList("ROLE_writer")));
        MDC.put(CorrelationIdFilter.MDC_KEY, "request-42");

        List<CompletableFuture<CommandResult>> results = List.of(
                lanes.submit(register(a, email), Map.of()),
                lanes.submit(purchase(a, "o-1"), Map.of()),
                // Sees a's claim, not yet committed, in the batch's own transaction.
                lanes.submit(register(b, email), Map.of()),
                lanes.submit(purchase(prefix + "nobody", "o-1"), Map.of()),
                lanes.submit(purchase(a, "o-2"), Map.of()));
        lanes.start();

        assertThat(results.get(0).join().recorded()).isTrue();
        assertThat(results.get(1).join().recorded()).isTrue();
        assertThat(results.get(2)).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .havingCause().isInstanceOf(CustomerConflictException.class);
        assertThat(results.get(3)).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .havingCause().isInstanceOf(AggregateNotFoundException.class);
        assertThat(results.get(4).join().recorded()).isTrue();

        DistributionSummary batches = meters.get("crm.commands.batch").summary();
        assertThat(batches.count()).isEqualTo(1);
        assertThat(batches.max()).isEqualTo(5);
        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(a).asStream().toList();
        assertThat(events.get(0).getPayload()).isInstanceOf(CustomerRegistered.class);
        assertThat(events).map(DomainEventMessage::getPayload).filteredOn(PurchaseRecorded.class::isInstance)
                .map(event -> ((PurchaseRecorded) event).orderId()).containsExactly("o-1", "o-2");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getMetaData()).containsEntry(MetadataKeys.PRINCIPAL, "alice")
                    .containsEntry(MetadataKeys.CORRELATION_ID, "request-42");
        });
        assertThat(eventStore.readEvents(b).asStream()).isEmpty();
    }

    /**
     * Two instances registering one new id: the loser's clash at sequence 0 (an AggregateStreamCreationException, not a
     * ConcurrencyException, from Axon's JDBC engine) is retried like any lost race and then refused as registered
     * already (a 409). Before, neither kind of lost race was even recognised as one (see the persistence exception
     * resolver): both were unexpected errors, answered 500.
     */
    @Test
    void aRegistrationThatLosesItsNewStreamToAnotherInstanceIsRetriedAndRefusedAsRegistered() {
        lanes = oneLaneNotStarted(context, meters);
        CompletableFuture<CommandResult> result = lanes.submit(register(RACED, "raced@example.com"), Map.of());
        lanes.start();

        assertThat(result).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOf(CustomerConflictException.class).withMessageContaining("already registered");
        assertThat(context.getBean(EventStore.class).readEvents(RACED).asStream()).hasSize(1);
    }

    /** A purchase whose sequence another instance took first is retried against the fresh stream and recorded after it. */
    @Test
    void aPurchaseThatLosesItsSequenceToAnotherInstanceIsRetriedAndRecordedAfterIt() {
        context.getBean(CommandGateway.class).sendAndWait(register(RACED_PURCHASE, "purchase-raced@example.com"));
        lanes = oneLaneNotStarted(context, meters);
        CompletableFuture<CommandResult> result = lanes.submit(purchase(RACED_PURCHASE, "o-here"), Map.of());
        lanes.start();

        assertThat(result.join().recorded()).isTrue();
        assertThat(context.getBean(EventStore.class).readEvents(RACED_PURCHASE).asStream()
                .map(DomainEventMessage::getPayload).filter(PurchaseRecorded.class::isInstance)
                .map(purchase -> ((PurchaseRecorded) purchase).orderId())).containsExactly("o-elsewhere", "o-here");
    }

    @Test
    void aBatchThatFailsOtherwiseIsRecordedAgainCommandByCommandWithNothingLostOrDoubled() {
        lanes = oneLaneNotStarted(context, meters);
        List<CompletableFuture<CommandResult>> results = List.of(
                lanes.submit(register("again-a", "again-a@example.com"), Map.of()),
                lanes.submit(purchase("again-a", "o-1"), Map.of()),
                lanes.submit(register(FAILS_ONCE, "fails-once@example.com"), Map.of()),
                lanes.submit(purchase("again-a", "o-2"), Map.of()));
        lanes.start();

        // Each recorded once more, in order, from the store rather than from the cache the rollback made stale.
        assertThat(results).allSatisfy(result -> assertThat(result.join().recorded()).isTrue());
        DistributionSummary batches = meters.get("crm.commands.batch").summary();
        assertThat(batches.count()).isEqualTo(4);
        assertThat(batches.max()).isEqualTo(1);
        EventStore eventStore = context.getBean(EventStore.class);
        List<Object> events = eventStore.readEvents("again-a").asStream().map(DomainEventMessage::getPayload).map(Object.class::cast).toList();
        assertThat(events).filteredOn(CustomerRegistered.class::isInstance).hasSize(1);
        assertThat(events).filteredOn(PurchaseRecorded.class::isInstance)
                .map(event -> ((PurchaseRecorded) event).orderId()).containsExactly("o-1", "o-2");
        assertThat(eventStore.readEvents(FAILS_ONCE).asStream()).hasSize(1);
        // The key the rolled-back batch created for FAILS_ONCE was never stored: the data must be under the stored one.
        context.getBean(CustomerKeyStore.class).evict(FAILS_ONCE);
        CustomerRegistered registered = (CustomerRegistered) eventStore.readEvents(FAILS_ONCE).next().getPayload();
        assertThat(context.getBean(PersonalDataProtector.class).reveal(FAILS_ONCE, PersonalFields.NAME, registered.name()))
                .contains("Ada");
    }

    /**
     * Keys are created ahead for a batch's registrations. One that is refused must not leave its key behind: for an
     * erased customer (whose key was destroyed) that key would be a new one, which the erasure promises never to make.
     */
    @Test
    void aRefusedRegistrationInABatchLeavesNoKeyAndAnErasedCustomerNeverGetsOneAgain() {
        CommandGateway gateway = context.getBean(CommandGateway.class);
        gateway.sendAndWait(register("erased-x", "erased-x@example.com"));
        gateway.sendAndWait(new ErasePersonalData("erased-x", "request 17"));
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        assertThat(keyRows(jdbc, "erased-x")).isZero();

        lanes = oneLaneNotStarted(context, meters);
        List<CompletableFuture<CommandResult>> results = List.of(
                lanes.submit(register("erased-x", "erased-x-again@example.com"), Map.of()),
                lanes.submit(register("fresh-y", "fresh-y@example.com"), Map.of()),
                lanes.submit(register("fresh-z", "fresh-y@example.com"), Map.of()));
        lanes.start();

        assertThat(results.get(0)).failsWithin(10, TimeUnit.SECONDS);
        assertThat(results.get(1).join().recorded()).isTrue();
        assertThat(results.get(2)).as("email taken").failsWithin(10, TimeUnit.SECONDS);
        assertThat(keyRows(jdbc, "erased-x")).as("the erased customer has no key").isZero();
        assertThat(keyRows(jdbc, "fresh-y")).isOne();
        assertThat(keyRows(jdbc, "fresh-z")).as("a refused new customer keeps no unused key").isZero();
    }

    /**
     * A batch whose commit reached the store and failed afterwards (the connection broke before its answer) is
     * recorded again one by one: its registration is then refused as registered already (by the batch itself), and
     * the key the batch stored with it must stay, because the stored events are encrypted with it.
     */
    @Test
    void aBatchWhoseCommitLandedBeforeItFailedKeepsTheKeyItsEventsAreEncryptedWith() {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        PlatformTransactionManager landsThenFails = new CommitLandsThenFailsOnce(
                context.getBean(PlatformTransactionManager.class));
        lanes = oneLaneNotStarted(context, meters, context.getBean(CommandBus.class), landsThenFails);
        List<CompletableFuture<CommandResult>> results = List.of(
                lanes.submit(register("landed-a", "landed-a@example.com"), Map.of()),
                lanes.submit(purchase("landed-a", "o-1"), Map.of()));
        lanes.start();

        assertThat(results.get(0)).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .havingCause().isInstanceOf(CustomerConflictException.class);
        assertThat(results.get(1).join().recorded()).as("stored by the batch; a duplicate of itself").isFalse();
        List<? extends DomainEventMessage<?>> events = context.getBean(EventStore.class).readEvents("landed-a")
                .asStream().toList();
        assertThat(events).as("stored once: registered, purchased, activated by the purchase").map(
                event -> event.getPayloadType().getSimpleName())
                .containsExactly("CustomerRegistered", "PurchaseRecorded", "CustomerStatusChanged");
        assertThat(keyRows(jdbc, "landed-a")).isOne();
        String storedName = ((CustomerRegistered) events.get(0).getPayload()).name();
        assertThat(context.getBean(PersonalDataProtector.class).reveal("landed-a", PersonalFields.NAME, storedName))
                .contains("Ada");
    }

    /** Commits, then reports the first commit of a transaction of its own as failed, as a broken connection would. */
    static final class CommitLandsThenFailsOnce implements PlatformTransactionManager {

        private final PlatformTransactionManager transactions;
        private final AtomicBoolean armed = new AtomicBoolean(true);

        CommitLandsThenFailsOnce(PlatformTransactionManager transactions) {
            this.transactions = transactions;
        }

        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
            return transactions.getTransaction(definition);
        }

        @Override
        public void commit(TransactionStatus status) {
            boolean ownTransaction = status.isNewTransaction() && !status.hasSavepoint();
            transactions.commit(status);
            if (ownTransaction && armed.compareAndSet(true, false)) {
                throw new TransactionSystemException("the connection broke before the commit was acknowledged");
            }
        }

        @Override
        public void rollback(TransactionStatus status) {
            transactions.rollback(status);
        }
    }

    /**
     * With Axon Server the application's bus routes every command through the server, and a handler's exception comes
     * back as a generic CommandExecutionException: the lanes dispatch to the bus's local segment instead, so a batch
     * shares its transaction and a refused command is refused with its own reason.
     */
    @Test
    void onADistributedBusTheLanesRecordOnItsLocalSegment() {
        CommandBus local = context.getBean(CommandBus.class);
        lanes = oneLaneNotStarted(context, meters, new RoutedThroughAServer(local));
        List<CompletableFuture<CommandResult>> results = List.of(
                lanes.submit(register("routed-a", "routed@example.com"), Map.of()),
                lanes.submit(register("routed-b", "routed@example.com"), Map.of()));
        lanes.start();

        assertThat(results.get(0).join().recorded()).isTrue();
        assertThat(results.get(1)).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .havingCause().isInstanceOf(CustomerConflictException.class);
        assertThat(meters.get("crm.commands.batch").summary().max()).isEqualTo(2);
    }

    /** A bus like Axon Server's: what it dispatches itself fails the way a remote handler's exception arrives. */
    record RoutedThroughAServer(CommandBus localSegment) implements CommandBus, Distributed<CommandBus> {

        @Override
        public <C> void dispatch(CommandMessage<C> command) {
            throw new UnsupportedOperationException("routed through a server");
        }

        @Override
        public <C, R> void dispatch(CommandMessage<C> command, CommandCallback<? super C, ? super R> callback) {
            callback.onResult(command, GenericCommandResultMessage.asCommandResultMessage(
                    new CommandExecutionException("a remote handler failed", null)));
        }

        @Override
        public Registration subscribe(String commandName, MessageHandler<? super CommandMessage<?>> handler) {
            return localSegment.subscribe(commandName, handler);
        }

        @Override
        public Registration registerHandlerInterceptor(MessageHandlerInterceptor<? super CommandMessage<?>> interceptor) {
            return localSegment.registerHandlerInterceptor(interceptor);
        }

        @Override
        public Registration registerDispatchInterceptor(MessageDispatchInterceptor<? super CommandMessage<?>> interceptor) {
            return () -> true;
        }
    }

    private static int keyRows(JdbcTemplate jdbc, String customerId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM customer_keys WHERE customer_id = ?", Integer.class, customerId);
    }

    /** Lanes on the application's own bus, gateway, cache and transactions: one lane, so every command in one batch. */
    static CommandLanes oneLaneNotStarted(ApplicationContext context, SimpleMeterRegistry meters) {
        return oneLaneNotStarted(context, meters, context.getBean(CommandBus.class));
    }

    static CommandLanes oneLaneNotStarted(ApplicationContext context, SimpleMeterRegistry meters, CommandBus bus) {
        return oneLaneNotStarted(context, meters, bus, context.getBean(PlatformTransactionManager.class));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static CommandLanes oneLaneNotStarted(ApplicationContext context, SimpleMeterRegistry meters, CommandBus bus,
                                          PlatformTransactionManager transactions) {
        List<MessageDispatchInterceptor<? super CommandMessage<?>>> interceptors = (List) context
                .getBeanProvider(MessageDispatchInterceptor.class).orderedStream().toList();
        return new CommandLanes(bus, context.getBean(CommandGateway.class), interceptors,
                context.getBean(CommandTargetResolver.class), transactions, context.getBean(CustomerKeyStore.class),
                context.getBean("customerCache", Cache.class), meters, 1,
                context.getBeanProvider(EventStoreSchema.class), 16, 100);
    }

    private static RegisterCustomer register(String customerId, String email) {
        return new RegisterCustomer(customerId, "Ada", email, null, "GB", "web", DAY);
    }

    private static RecordPurchase purchase(String customerId, String orderId) {
        return new RecordPurchase(customerId, orderId, DAY, Money.of("10.00", "EUR"), List.of(), null);
    }
}
