package io.crmhistory.query.segment;

import io.crmhistory.query.projection.InProcessMongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.api.rules.SegmentationRulesPublished;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelVersions;
import io.crmhistory.platform.testing.MovableClock;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.ReplaceOptions;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The re-evaluation of every customer, against the embedded MongoDB server, crashed at each of its writes in turn:
 * whichever write the crash comes before, the run finished by another instance leaves every customer in the segment
 * of the run's instant with exactly one record of each move. A run of a live instance is left to it, one whose
 * heartbeat stopped is taken over, and a rule set delivered again is not applied twice.
 */
class SegmentReevaluationTest {

    static final FxRates FX = new FxRates("EUR", Map.of());
    static final Instant ASSESSED = Instant.parse("2026-01-01T00:00:00Z");
    /** 152 days on: the recent buyers' recency falls from 5 to 3, moving them out of NEW; the others stay. */
    static final Instant LATER = Instant.parse("2026-06-01T00:00:00Z");
    static final int CUSTOMERS = 2 * SegmentReevaluation.PAGE_SIZE + 500;

    private InProcessMongo server;
    private CrashingMongoTemplate mongo;
    private SegmentStore store;
    private final MovableClock machine = new MovableClock(Instant.parse("2026-12-02T00:00:00Z"));

    @BeforeEach
    void start() {
        server = new InProcessMongo();
        mongo = new CrashingMongoTemplate(server.client());
        store = open();
        SegmentEvaluator rules = store.ruleBook().current();
        for (int i = 0; i < CUSTOMERS; i++) {
            // Even customers bought twelve days before the first assessment, odd ones two years before.
            String purchasedAt = i % 2 == 0 ? "2025-12-20T00:00:00Z" : "2024-01-01T00:00:00Z";
            SegmentState state = null;
            for (EventEnvelope envelope : Events.of(customer(i)).registered("C" + i, null, "2023-06-01T00:00:00Z")
                    .purchase("o-" + i, "40.00", "EUR", purchasedAt).envelopes()) {
                state = SegmentLogic.apply(state, envelope);
            }
            mongo.insert(SegmentLogic.assess(state, rules, ASSESSED, ASSESSED), store.collection());
        }
        assertThat(segments()).containsEntry("NEW", (long) CUSTOMERS / 2);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void withoutACrashEveryMoverIsRecordedOnce() {
        long moved = instance().reevaluateAll(store, SegmentChange.TIME, LATER);

        assertThat(moved).isEqualTo(CUSTOMERS / 2);
        assertEveryMoveRecordedOnce();
        assertThat(store.lastReevaluation()).satisfies(run -> {
            assertThat(run.finished()).isTrue();
            assertThat(run.evaluated()).isEqualTo(CUSTOMERS);
            assertThat(run.moved()).isEqualTo(CUSTOMERS / 2);
        });
    }

    /**
     * A page writes its change records, its states and where the run got, in this order; the crash is tried before
     * each of a run's writes. Recording the states first lost the records of the page a crash came in.
     */
    @Test
    void aRunInterruptedBeforeAnyOfItsWritesIsFinishedByAnotherInstanceWithEveryMoveRecordedOnce() {
        mongo.countWrites();
        instance().reevaluateAll(store, SegmentChange.TIME, LATER);
        int writes = mongo.writesCounted();
        assertThat(writes).isGreaterThan(3 * 3);

        for (int crashAt = 1; crashAt <= writes; crashAt++) {
            stop();
            start();
            mongo.crashAtWrite(crashAt);
            int crashingWrite = crashAt;
            assertThatThrownBy(() -> instance().reevaluateAll(store, SegmentChange.TIME, LATER))
                    .as("write %d", crashingWrite).isInstanceOf(Crash.class);
            mongo.crashAtWrite(0);
            if (crashAt == 1) {
                // The claim of the run: it never began.
                assertThat(store.lastReevaluation()).isEqualTo(ReevaluationRun.NONE);
                continue;
            }

            machine.advance(SegmentReevaluation.LEASE.plusSeconds(1));
            ReevaluationRun finished = instance().finishInterrupted(store);

            assertThat(finished.finished()).as("write %d", crashAt).isTrue();
            assertThat(finished.evaluated()).as("write %d", crashAt).isEqualTo(CUSTOMERS);
            assertEveryMoveRecordedOnce();
        }
    }

    /**
     * A crash between a page's records and its update, then an event of a mover projected before the run resumes (the
     * move never applied, so the customer is assessed where they still are): the resumed page reads a later sequence
     * and records the move under another id; the first record, of a move that never happened, is withdrawn.
     */
    @Test
    void aRecordOfAMoveACrashPreventedIsWithdrawnWhenItsCustomerHadAnEventBeforeTheRunResumed() {
        String mover = customer(0);
        mongo.crashAtWrite(3); // the run's claim, the first page's records, then its update
        assertThatThrownBy(() -> instance().reevaluateAll(store, SegmentChange.TIME, LATER)).isInstanceOf(Crash.class);
        mongo.crashAtWrite(0);
        assertThat(changesOf(mover)).hasSize(1);
        assertThat(store.find(mover).orElseThrow().segment()).isEqualTo("NEW");
        mongo.updateFirst(Query.query(Criteria.where("_id").is(mover)), new Update().inc("lastSequence", 1),
                store.collection());

        machine.advance(SegmentReevaluation.LEASE.plusSeconds(1));
        instance().finishInterrupted(store);

        assertEveryMoveRecordedOnce();
        assertThat(changesOf(mover)).singleElement().satisfies(change -> assertThat(change.sequence()).isEqualTo(2));
    }

    @Test
    void aRunOfALiveInstanceIsLeftToItAndTakenOverOnceItsHeartbeatStops() {
        mongo.crashAtWrite(5);
        assertThatThrownBy(() -> instance().reevaluateAll(store, SegmentChange.TIME, LATER))
                .isInstanceOf(Crash.class);
        mongo.crashAtWrite(0);
        ReevaluationRun interrupted = store.lastReevaluation();

        SegmentReevaluation other = instance();
        assertThat(other.reevaluateAll(store, SegmentChange.TIME, LATER.plusSeconds(60))).isZero();
        assertThat(other.finishInterrupted(store)).isEqualTo(interrupted);

        machine.advance(SegmentReevaluation.LEASE.plusSeconds(1));
        assertThat(other.finishInterrupted(store).finished()).isTrue();
        assertEveryMoveRecordedOnce();
    }

    @Test
    void aConcurrentProjectionWinsAndTheRecordOfTheMoveItPreventedIsWithdrawn() {
        String winner = customer(0);
        mongo.beforeUpdating(store.collection(), () -> mongo.updateFirst(Query.query(Criteria.where("_id").is(winner)),
                new Update().inc("lastSequence", 1), store.collection()));

        long moved = instance().reevaluateAll(store, SegmentChange.TIME, LATER);

        assertThat(moved).isEqualTo(CUSTOMERS / 2 - 1);
        assertThat(changesOf(winner)).isEmpty();
        assertThat(store.find(winner).orElseThrow().segment()).isEqualTo("NEW");
        assertThat(changesOf(customer(2))).hasSize(1);
    }

    @Test
    void publishedRulesAreAppliedOnceAndTheirRunFinishedWhenTheyAreDeliveredAgainAfterACrash() throws Exception {
        SegmentationRulesPublished published = recentOrOther(ASSESSED);
        mongo.crashAtWrite(7);
        assertThatThrownBy(() -> instance().rulesPublished(store, published, ASSESSED)).isInstanceOf(Crash.class);
        mongo.crashAtWrite(0);
        machine.advance(SegmentReevaluation.LEASE.plusSeconds(1));

        // The processor delivers the publication again; its run is finished at the instant it began with.
        SegmentReevaluation restarted = instance();
        restarted.rulesPublished(reopened(), published, ASSESSED.plusSeconds(3600));
        assertThat(segments()).containsEntry("RECENT", (long) CUSTOMERS / 2).containsEntry("OTHER", (long) CUSTOMERS / 2);
        assertThat(mongo.findAll(SegmentChange.class, store.changes())).hasSize(CUSTOMERS)
                .allSatisfy(change -> assertThat(change.occurredAt()).isEqualTo(ASSESSED));
        ReevaluationRun applied = store.lastReevaluation();
        assertThat(applied.rulesVersion()).isEqualTo(2);

        restarted.rulesPublished(reopened(), published, ASSESSED.plusSeconds(7200));
        assertThat(store.lastReevaluation()).isEqualTo(applied);
        assertThat(mongo.count(new Query(), store.changes())).isEqualTo(CUSTOMERS);
    }

    @Test
    void publishedRulesWaitForAnotherInstancesRunAndAreAppliedOnceItEnds() throws Exception {
        mongo.crashAtWrite(5);
        assertThatThrownBy(() -> instance().reevaluateAll(store, SegmentChange.TIME, LATER))
                .isInstanceOf(Crash.class);
        mongo.crashAtWrite(0);
        SegmentationRulesPublished published = recentOrOther(LATER);

        // The other instance's run looks alive: the publication waits for it.
        java.util.concurrent.CompletableFuture<Void> applied = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                instance().rulesPublished(store, published, LATER);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !applied.isDone());
        assertThat(store.ruleBook().current().version()).isEqualTo(1);

        // Its heartbeat stops: its run is finished here, then the new rules are applied.
        machine.advance(SegmentReevaluation.LEASE.plusSeconds(1));
        applied.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(segments()).isEqualTo(Map.of("OTHER", (long) CUSTOMERS));
        List<SegmentChange> changes = mongo.findAll(SegmentChange.class, store.changes());
        assertThat(changes.stream().filter(change -> change.cause().equals(SegmentChange.TIME))).hasSize(CUSTOMERS / 2);
        assertThat(changes.stream().filter(change -> change.cause().equals(SegmentChange.RULES))).hasSize(CUSTOMERS);
    }

    /**
     * A condition the publication's trials let through can still fail for some customers (every customer here has one
     * order, so {@code orders - 1} is 0). It does not hold for them; the run goes on through every customer and finishes
     * (thrown, it stopped the run at the first such customer's page for good, and every later rule version waited
     * behind it), and the next publication applies.
     */
    @Test
    void aConditionThatFailsForSomeCustomersDoesNotHoldForThemAndTheRunFinishes() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
        try {
            instance().rulesPublished(store, published(2, List.of(
                    new SegmentationRuleSet.SegmentRule("PER_ORDER", "netRevenue / (orders - 1) > 10"),
                    new SegmentationRuleSet.SegmentRule("RECENT", "r >= 4")), ASSESSED), ASSESSED);

            assertThat(segments()).isEqualTo(Map.of("RECENT", (long) CUSTOMERS / 2, "OTHER", (long) CUSTOMERS / 2));
            assertThat(store.lastReevaluation()).satisfies(run -> {
                assertThat(run.finished()).isTrue();
                assertThat(run.evaluated()).isEqualTo(CUSTOMERS);
            });
            assertThat(meters.get(SegmentEvaluator.CONDITION_FAILURES).tags("ruleVersion", "2", "segment", "PER_ORDER")
                    .counter().count()).isEqualTo(CUSTOMERS);

            instance().rulesPublished(store, published(3, List.of(
                    new SegmentationRuleSet.SegmentRule("RECENT", "r >= 4")), ASSESSED.plusSeconds(60)), ASSESSED);
            assertThat(store.ruleBook().current().version()).isEqualTo(3);
            assertThat(store.lastReevaluation().finished()).isTrue();
        } finally {
            Metrics.removeRegistry(meters);
        }
    }

    /** Version 2: RECENT for a purchase in the last 90 days, else OTHER. */
    private static SegmentationRulesPublished recentOrOther(Instant publishedAt) {
        return published(2, List.of(new SegmentationRuleSet.SegmentRule("RECENT", "r >= 4")), publishedAt);
    }

    /** A version with these segments and the fallback OTHER. */
    private static SegmentationRulesPublished published(int version, List<SegmentationRuleSet.SegmentRule> segments,
                                                        Instant publishedAt) {
        return new SegmentationRulesPublished(version, new SegmentationRuleSet(List.of(30, 90, 180, 365),
                List.of(2, 3, 5, 10),
                List.of(new BigDecimal("100"), new BigDecimal("500"), new BigDecimal("1000"), new BigDecimal("5000")),
                segments, "OTHER"), "ops", OffsetDateTime.ofInstant(publishedAt, ZoneOffset.UTC));
    }

    private SegmentReevaluation instance() {
        return new SegmentReevaluation(Clock.fixed(LATER, ZoneOffset.UTC), machine,
                new ReadModelVersions(Duration.ofSeconds(1)));
    }

    private SegmentStore open() {
        return new SegmentStore(mongo, new ProjectionVersion("segment", 1), FX, SegmentForecaster.NONE, () -> true);
    }

    /** The store as a restarted instance opens it: the rules in force read from the collection. */
    private SegmentStore reopened() {
        store = open();
        return store;
    }

    private void assertEveryMoveRecordedOnce() {
        assertThat(segments()).isEqualTo(Map.of("NEEDS_ATTENTION", (long) CUSTOMERS / 2,
                "HIBERNATING", (long) CUSTOMERS / 2));
        List<SegmentChange> changes = mongo.findAll(SegmentChange.class, store.changes());
        assertThat(changes).hasSize(CUSTOMERS / 2).allSatisfy(change -> {
            assertThat(change.from()).isEqualTo("NEW");
            assertThat(change.to()).isEqualTo("NEEDS_ATTENTION");
            assertThat(change.cause()).isEqualTo(SegmentChange.TIME);
            assertThat(change.occurredAt()).isEqualTo(LATER);
        });
        assertThat(changes.stream().map(SegmentChange::customerId).distinct()).hasSize(CUSTOMERS / 2);
    }

    private Map<String, Long> segments() {
        return mongo.findAll(SegmentState.class, store.collection()).stream()
                .collect(Collectors.groupingBy(SegmentState::segment, TreeMap::new, Collectors.counting()));
    }

    private List<SegmentChange> changesOf(String customerId) {
        return mongo.find(Query.query(Criteria.where("customerId").is(customerId)), SegmentChange.class,
                store.changes());
    }

    private static String customer(int i) {
        return "c-%05d".formatted(i);
    }

    /** A process stopping in the middle of a write. */
    static final class Crash extends RuntimeException {
        Crash(int write) {
            super("crash at write " + write);
        }
    }

    /**
     * Counts the writes a run makes (bulk writes, inserts of many and replaces) and crashes at the one asked for, before it reaches
     * the server; can also run something just before a bulk write to a given collection.
     */
    static final class CrashingMongoTemplate extends MongoTemplate {

        private int writes;
        private int crashAt;
        private String hookedCollection;
        private Runnable hook;

        CrashingMongoTemplate(MongoClient client) {
            super(client, "test");
        }

        void countWrites() {
            writes = 0;
        }

        int writesCounted() {
            return writes;
        }

        void crashAtWrite(int write) {
            writes = 0;
            crashAt = write;
        }

        void beforeUpdating(String collection, Runnable action) {
            hookedCollection = collection;
            hook = action;
        }

        private void write() {
            writes++;
            if (writes == crashAt) {
                throw new Crash(writes);
            }
        }

        @Override
        public <T> com.mongodb.client.result.UpdateResult replace(Query query, T replacement, ReplaceOptions options,
                                                                 String collectionName) {
            write();
            return super.replace(query, replacement, options, collectionName);
        }

        @Override
        public BulkOperations bulkOps(BulkOperations.BulkMode mode, Class<?> entityType, String collectionName) {
            BulkOperations bulk = super.bulkOps(mode, entityType, collectionName);
            return (BulkOperations) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{BulkOperations.class}, (proxy, method, args) -> {
                        if (method.getName().equals("execute")) {
                            beforeBulkWrite(collectionName);
                        }
                        Object result = invoke(method, bulk, args);
                        return result == bulk ? proxy : result;
                    });
        }

        /** The change records are inserted through the driver's collection: its inserts are writes too. */
        @Override
        public MongoCollection<Document> getCollection(String collectionName) {
            return countingInserts(super.getCollection(collectionName), collectionName);
        }

        @SuppressWarnings("unchecked")
        private <T> MongoCollection<T> countingInserts(MongoCollection<T> collection, String collectionName) {
            return (MongoCollection<T>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{MongoCollection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("insertMany")) {
                            beforeBulkWrite(collectionName);
                        }
                        Object result = invoke(method, collection, args);
                        return result instanceof MongoCollection<?> derived
                                ? countingInserts(derived, collectionName) : result;
                    });
        }

        private void beforeBulkWrite(String collectionName) {
            write();
            if (collectionName.equals(hookedCollection) && hook != null) {
                Runnable once = hook;
                hook = null;
                once.run();
            }
        }

        private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
