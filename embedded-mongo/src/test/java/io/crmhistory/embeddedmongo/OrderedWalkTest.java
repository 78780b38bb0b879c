package io.crmhistory.embeddedmongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import de.bwaldvogel.mongo.MongoServer;
import io.crmhistory.embeddedmongo.ReadModelBackend.SpaceReclaim;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Decimal128;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pages of a collection with an index on (field, _id), which the backend answers by walking the index, must be the
 * pages of the same documents in a collection without it, which the library answers by sorting every match: first
 * pages, every page after a keyset cursor to the end, with and without filters, in both directions, with ties,
 * missing and null values, values of several types, and documents whose value is an array.
 */
class OrderedWalkTest {

    private static final List<String> FIELDS = List.of("netRevenue", "nameKey", "lastPurchaseSort", "mixed");

    @TempDir
    Path dir;

    @Test
    void walkedPagesAreThePagesOfASortOfEveryMatch() {
        onServer(database -> {
            MongoCollection<Document> walked = database.getCollection("walked");
            MongoCollection<Document> sorted = database.getCollection("sorted");
            for (String field : FIELDS) {
                walked.createIndex(Indexes.ascending(field, "_id"));
            }
            walked.createIndex(Indexes.ascending("segment"));
            sorted.createIndex(Indexes.ascending("segment"));
            Random random = new Random(24);
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                documents.add(randomDocument(String.format("c-%05d", random.nextInt(100_000)) + "-" + i, random));
            }
            walked.insertMany(documents);
            sorted.insertMany(documents);

            for (String field : FIELDS) {
                for (int direction : new int[]{1, -1}) {
                    Bson order = direction > 0 ? Sorts.ascending(field, "_id") : Sorts.descending(field, "_id");
                    for (Bson filter : List.of(new Document(), Filters.eq("segment", "LOYAL"),
                            Filters.eq("segment", "RARE"), Filters.gt("orders", 3))) {
                        for (int limit : new int[]{1, 51, 700}) {
                            assertThat(ids(walked.find(filter).sort(order).limit(limit)))
                                    .as("%s %d, %s, limit %d", field, direction, filter, limit)
                                    .isEqualTo(ids(sorted.find(filter).sort(order).limit(limit)));
                        }
                        assertThat(ids(walked.find(filter).sort(order).skip(40).limit(20)))
                                .isEqualTo(ids(sorted.find(filter).sort(order).skip(40).limit(20)));
                    }
                }
            }
        });
    }

    /** Keyset pages as the directory asks for them, through to the end: none skipped, none repeated. */
    @Test
    void keysetPagesWalkThroughTheWholeOrder() {
        onServer(database -> {
            MongoCollection<Document> walked = database.getCollection("walked");
            MongoCollection<Document> sorted = database.getCollection("sorted");
            for (String field : List.of("nameKey", "lastPurchaseSort", "netRevenue")) {
                walked.createIndex(Indexes.ascending(field, "_id"));
            }
            Random random = new Random(7);
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                Document document = randomDocument(String.format("k-%05d", i), random);
                document.putIfAbsent("lastPurchaseSort", new Date(0));
                document.put("netRevenue", new Decimal128(BigDecimal.valueOf(random.nextInt(300) * 50L, 2)));
                documents.add(document);
            }
            walked.insertMany(documents);
            sorted.insertMany(documents);
            for (String field : List.of("nameKey", "lastPurchaseSort", "netRevenue")) {
                for (boolean descending : new boolean[]{false, true}) {
                    List<String> all = ids(sorted.find().sort(order(field, descending)));
                    assertThat(pages(walked, field, descending, 97)).as("%s desc=%s", field, descending).isEqualTo(all);
                    assertThat(pages(sorted, field, descending, 97)).isEqualTo(all);
                }
            }
        });
    }

    private static List<String> pages(MongoCollection<Document> collection, String field, boolean descending, int size) {
        List<String> all = new ArrayList<>();
        Document last = null;
        while (true) {
            Bson filter = new Document();
            if (last != null) {
                Object value = last.get(field);
                String id = last.getString("_id");
                String beyond = descending ? "$lt" : "$gt";
                // The shape Spring Data gives the directory's keyset condition.
                filter = new Document("$and", List.of(new Document("$or", List.of(
                        new Document(field, new Document(beyond, value)),
                        new Document(field, value).append("_id", new Document(beyond, id))))));
            }
            List<Document> page = collection.find(filter).sort(order(field, descending)).limit(size).into(new ArrayList<>());
            page.forEach(document -> all.add(document.getString("_id")));
            if (page.size() < size) {
                return all;
            }
            last = page.get(page.size() - 1);
        }
    }

    private static Bson order(String field, boolean descending) {
        return descending ? Sorts.descending(field, "_id") : Sorts.ascending(field, "_id");
    }

    private static Document randomDocument(String id, Random random) {
        Document document = new Document("_id", id);
        int revenue = random.nextInt(60);
        if (revenue > 3) {
            document.append("netRevenue", new Decimal128(BigDecimal.valueOf(revenue * 125L, 2)));
        } else if (revenue == 3) {
            document.append("netRevenue", null);
        }
        document.append("nameKey", "name-" + random.nextInt(40));
        if (random.nextInt(4) > 0) {
            document.append("lastPurchaseSort",
                    Date.from(Instant.parse("2025-01-01T00:00:00Z").plusSeconds(86_400L * random.nextInt(30))));
        }
        Object[] mixed = {1, 2L, 2.5, "b", "a", null, true, List.of(3, 1), new Document("x", 1)};
        if (random.nextInt(10) > 0) {
            document.append("mixed", mixed[random.nextInt(mixed.length)]);
        }
        document.append("segment", random.nextInt(100) == 0 ? "RARE" : random.nextBoolean() ? "LOYAL" : "AT_RISK");
        document.append("orders", random.nextInt(8));
        return document;
    }

    private static List<String> ids(Iterable<Document> documents) {
        List<String> ids = new ArrayList<>();
        documents.forEach(document -> ids.add(document.getString("_id")));
        return ids;
    }

    private void onServer(Consumer<MongoDatabase> test) {
        MVStore store = new MVStore.Builder().fileName(dir.resolve("walk.mv").toString()).autoCommitDisabled()
                .autoCommitBufferSize(0).open();
        ReadModelBackend backend = new ReadModelBackend(store, Duration.ofHours(1), Long.MAX_VALUE, SpaceReclaim.NONE);
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
            test.accept(client.getDatabase("crm"));
        } finally {
            server.shutdownNow();
            backend.close();
        }
    }

    /** A first page reads about its own documents, not the collection; an array in the field turns the walk off. */
    @Test
    void aFirstPageReadsItsOwnDocumentsAndAnArrayTurnsTheWalkOff() {
        MVStore store = new MVStore.Builder().open();
        de.bwaldvogel.mongo.backend.IndexKey revenue = new de.bwaldvogel.mongo.backend.IndexKey("netRevenue", true);
        de.bwaldvogel.mongo.backend.IndexKey id = new de.bwaldvogel.mongo.backend.IndexKey("_id", true);
        EqualityPrefixIndex index = new EqualityPrefixIndex("byRevenue", List.of(revenue, id), false,
                store.openMap("byRevenue", ReadModelBackend.indexMapType()));
        java.util.Map<Object, de.bwaldvogel.mongo.bson.Document> stored = new java.util.HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            de.bwaldvogel.mongo.bson.Document document = new de.bwaldvogel.mongo.bson.Document("_id", "c-" + i)
                    .append("netRevenue", (double) (i % 97));
            stored.put(i, document);
            index.add(document, i, null);
        }
        de.bwaldvogel.mongo.bson.Document byRevenue = new de.bwaldvogel.mongo.bson.Document("netRevenue", -1)
                .append("_id", -1);
        int[] fetched = {0};
        java.util.function.Function<Object, de.bwaldvogel.mongo.bson.Document> fetch = position -> {
            fetched[0]++;
            return stored.get(position);
        };

        OrderedWalk walk = OrderedWalk.of(byRevenue, List.of(index), () -> stored.values().stream(), stored);
        List<de.bwaldvogel.mongo.bson.Document> first = walk.first(new de.bwaldvogel.mongo.bson.Document(),
                document -> true, 10, fetch);

        assertThat(fetched[0]).isEqualTo(10);
        assertThat(first).extracting(document -> document.get("netRevenue")).containsOnly(96.0);
        assertThat(first.get(0).get("_id")).isEqualTo("c-969");

        de.bwaldvogel.mongo.bson.Document withArray = new de.bwaldvogel.mongo.bson.Document("_id", "c-5")
                .append("netRevenue", List.of(1, 2));
        index.updateInPlace(stored.get(5), withArray, 5, null);
        assertThat(OrderedWalk.of(byRevenue, List.of(index), () -> stored.values().stream(), stored)).isNull();
        index.updateInPlace(withArray, stored.get(5), 5, null);
        assertThat(OrderedWalk.of(byRevenue, List.of(index), () -> stored.values().stream(), stored)).isNotNull();
    }
}
