package io.crmhistory.embeddedmongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import io.crmhistory.embeddedmongo.ReadModelBackend.SpaceReclaim;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queries and counts of the embedded store run outside the collection's monitor, which its writes hold
 * ({@link ReadModelCollection#handleQuery}): a read neither waits for a write nor sees half of one.
 */
class UnlockedReadsTest {

    private static final int CUSTOMERS = 200;

    @TempDir
    Path dir;

    @Test
    void readsAreAnsweredWhileAWriteHoldsTheCollection() throws Exception {
        withServer((backend, client, customers) -> {
            Object collection = backend.resolveDatabase("crm").resolveCollection("customers", true);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try {
                Future<?> writer = threads.submit(() -> {
                    synchronized (collection) { // what a write of the library holds while it runs
                        holding.countDown();
                        await(release);
                    }
                });
                assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

                // Each read runs now, or (behind the held monitor) times out here.
                Future<List<Object>> reads = threads.submit(() -> List.of(
                        customers.find(Filters.eq("_id", "c-7")).first().getInteger("n"),
                        customers.find(Filters.eq("segment", "LOYAL")).into(new ArrayList<>()).size(),
                        customers.find(Filters.eq("segment", "AT_RISK")).sort(Sorts.descending("n", "_id")).limit(3)
                                .map(document -> document.getString("_id")).into(new ArrayList<>()),
                        customers.countDocuments(Filters.eq("segment", "LOYAL")), // an aggregation
                        client.getDatabase("crm").runCommand(new Document("count", "customers")
                                .append("query", new Document("segment", "LOYAL").append("n", new Document("$lt", 10))))
                                .get("n")));
                assertThat(reads.get(10, TimeUnit.SECONDS)).containsExactly(7, CUSTOMERS / 2,
                        List.of("c-199", "c-197", "c-195"), (long) CUSTOMERS / 2, 5);
                assertThat(writer).isNotDone();
            } finally {
                release.countDown();
                threads.shutdown();
                assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        });
    }

    /**
     * The library's {@code _id} index is {@code synchronized} in its writes and in its own lookups; lookups by id, by a
     * list of ids and by a range of ids read its entries without its monitor, and queries on other fields, which are
     * offered to it first, are refused without it ({@link IdLookupIndex}).
     */
    @Test
    void readsAreAnsweredWhileAWriteHoldsTheIdIndex() throws Exception {
        withServer((backend, client, customers) -> {
            ReadModelCollection collection = (ReadModelCollection) backend.resolveDatabase("crm")
                    .resolveCollection("customers", true);
            Object idIndex = collection.getIndexes().stream().filter(IdLookupIndex.class::isInstance)
                    .map(index -> ((IdLookupIndex) index).library()).findFirst().orElseThrow();
            ExecutorService threads = Executors.newFixedThreadPool(2);
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try {
                Future<?> writer = threads.submit(() -> {
                    synchronized (idIndex) { // what the library's index holds while a write adds or removes an entry
                        holding.countDown();
                        await(release);
                    }
                });
                assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

                Future<List<Object>> reads = threads.submit(() -> List.of(
                        customers.find(Filters.eq("_id", "c-7")).first().getInteger("n"),
                        customers.find(Filters.and(Filters.eq("_id", "c-8"), Filters.eq("segment", "LOYAL")))
                                .into(new ArrayList<>()).size(),
                        customers.find(Filters.in("_id", "c-3", "c-1", "c-2", "nobody"))
                                .map(document -> document.getString("_id")).into(new ArrayList<>()),
                        customers.find(Filters.gt("_id", "c-97")).sort(Sorts.ascending("_id"))
                                .map(document -> document.getString("_id")).into(new ArrayList<>()),
                        customers.countDocuments(Filters.eq("_id", "nobody")), // an aggregation
                        customers.find(Filters.eq("segment", "LOYAL")).into(new ArrayList<>()).size()));
                assertThat(reads.get(10, TimeUnit.SECONDS)).containsExactly(7, 1, List.of("c-1", "c-2", "c-3"),
                        List.of("c-98", "c-99"), 0L, CUSTOMERS / 2);
                assertThat(writer).isNotDone();
            } finally {
                release.countDown();
                threads.shutdown();
                assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        });
    }

    /**
     * Updates move one customer between segments, each time setting two fields to the same new value, while reads
     * run beside them without the monitor. By id the customer is found every time; every document a read gets is one
     * whole version (both fields equal) and matches the query it answered; through the segment index it may be
     * missed while it moves, as MongoDB's own reads may miss it, never returned from the wrong segment.
     */
    @Test
    void readsBesideUpdatesSeeWholeVersionsThatMatchAndAlwaysFindADocumentById() throws Exception {
        withServer((backend, client, customers) -> {
            ExecutorService threads = Executors.newFixedThreadPool(3);
            try {
                Future<?> writes = threads.submit(() -> {
                    for (int version = 1; version <= 2_000; version++) {
                        customers.updateOne(Filters.eq("_id", "c-1"), Updates.combine(
                                Updates.set("segment", version % 2 == 0 ? "LOYAL" : "AT_RISK"),
                                Updates.set("n", version), Updates.set("copyOfN", version)));
                    }
                });
                Future<Integer> byId = threads.submit(() -> readUntil(writes, () -> {
                    Document found = customers.find(Filters.eq("_id", "c-1")).first();
                    assertThat(found).as("c-1 by id").isNotNull();
                    assertThat(found.getInteger("copyOfN")).isEqualTo(found.getInteger("n"));
                }));
                Future<Integer> bySegment = threads.submit(() -> readUntil(writes, () -> {
                    for (String segment : List.of("LOYAL", "AT_RISK")) {
                        for (Document found : customers.find(Filters.and(Filters.eq("segment", segment),
                                Filters.lte("_id", "c-1"))).into(new ArrayList<>())) {
                            assertThat(found.getString("segment")).isEqualTo(segment);
                            assertThat(found.getInteger("copyOfN")).isEqualTo(found.getInteger("n"));
                        }
                    }
                }));
                writes.get(60, TimeUnit.SECONDS);
                assertThat(byId.get(60, TimeUnit.SECONDS)).isPositive();
                assertThat(bySegment.get(60, TimeUnit.SECONDS)).isPositive();
                assertThat(customers.find(Filters.eq("_id", "c-1")).first().getInteger("n")).isEqualTo(2_000);
            } finally {
                threads.shutdownNow();
            }
        });
    }

    /** Runs {@code read} until {@code writes} is done, at least once after it; how many times it ran. */
    private static int readUntil(Future<?> writes, Runnable read) {
        int reads = 0;
        boolean last;
        do {
            last = writes.isDone();
            read.run();
            reads++;
        } while (!last);
        return reads;
    }

    /**
     * Every query hands out documents decoded for it alone, so an update changes its own copy and puts it in the
     * stored document's place: a document handed out never changes.
     */
    @Test
    void aDocumentHandedOutIsNeverChangedByAnUpdate() throws Exception {
        withServer((backend, client, customers) -> {
            var collection = backend.resolveDatabase("crm").resolveCollection("customers", true);
            Supplier<de.bwaldvogel.mongo.bson.Document> find = () ->
                    collection.handleQuery(new de.bwaldvogel.mongo.bson.Document("_id", "c-7"), 0, 0).iterator().next();
            de.bwaldvogel.mongo.bson.Document handedOut = find.get();
            assertThat(find.get()).as("another query's document").isNotSameAs(handedOut).isEqualTo(handedOut);

            customers.updateOne(Filters.eq("_id", "c-7"), Updates.combine(Updates.set("n", 70), Updates.unset("copyOfN")));
            customers.findOneAndUpdate(Filters.eq("_id", "c-7"), Updates.set("segment", "LOYAL"));
            customers.replaceOne(Filters.eq("_id", "c-8"), new Document("n", 80));

            assertThat(handedOut).containsEntry("n", 7).containsEntry("copyOfN", 7).containsEntry("segment", "AT_RISK");
            assertThat(find.get()).containsEntry("n", 70).doesNotContainKey("copyOfN")
                    .containsEntry("segment", "LOYAL");
            assertThat(customers.find(Filters.eq("_id", "c-8")).first()).isEqualTo(new Document("_id", "c-8")
                    .append("n", 80));
        });
    }

    private interface ServerTest {
        void run(ReadModelBackend backend, MongoClient client, MongoCollection<Document> customers) throws Exception;
    }

    /** A server on a new backend, its customers collection indexed by segment and by n, half of them LOYAL. */
    private void withServer(ServerTest test) throws Exception {
        ReadModelBackend backend = new ReadModelBackend(
                ReadModelBackend.openStore(dir.resolve("reads.mv").toString(), "test-only".toCharArray(), 16, false),
                Duration.ofHours(1), Long.MAX_VALUE, SpaceReclaim.NONE);
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
            MongoCollection<Document> customers = client.getDatabase("crm").getCollection("customers");
            customers.createIndex(Indexes.ascending("segment"));
            customers.createIndex(Indexes.ascending("n", "_id"));
            customers.insertMany(IntStream.range(0, CUSTOMERS).mapToObj(i -> new Document("_id", "c-" + i)
                    .append("n", i).append("copyOfN", i).append("segment", i % 2 == 0 ? "LOYAL" : "AT_RISK")).toList());
            test.run(backend, client, customers);
        } finally {
            server.shutdownNow();
            backend.close();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
