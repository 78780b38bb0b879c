package io.crmhistory.embeddedmongo;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import io.crmhistory.embeddedmongo.ReadModelBackend.SpaceReclaim;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class ReadModelBackendTest {

    private static final long NO_EARLY_COMMIT = Long.MAX_VALUE;

    @TempDir
    Path dir;

    @Test
    void documentsComeBackExactlyAsStored() {
        Document nested = new Document("amount", new de.bwaldvogel.mongo.bson.Decimal128(12345, 0))
                .append("tags", List.of("a", 2, 3.5, true));
        Document document = new Document("_id", "c-1").append("int", 7).append("long", 9_000_000_000L)
                .append("double", 0.25).append("text", "Ada Lovelace").append("at", Instant.parse("2025-06-01T09:00:00Z"))
                .append("oid", new ObjectId()).append("none", null).append("nested", nested);
        StoredDocumentType type = StoredDocumentType.INSTANCE;
        WriteBuffer buffer = new WriteBuffer();
        type.write(buffer, StoredDocumentType.encode(document));
        type.write(buffer, StoredDocumentType.encode(new Document("_id", "c-2")));

        java.nio.ByteBuffer bytes = buffer.getBuffer().flip();
        Document read = StoredDocumentType.decode(type.read(bytes));
        assertThat(read).isEqualTo(document);
        assertThat(List.copyOf(read.keySet())).as("fields in stored order").isEqualTo(List.copyOf(document.keySet()));
        assertThat(StoredDocumentType.decode(type.read(bytes))).isEqualTo(new Document("_id", "c-2"));
        assertThat(bytes.hasRemaining()).isFalse();
        assertThat(StoredDocumentType.decode(type.read(bytes.rewind())))
                .as("each read a new document").isNotSameAs(read).isEqualTo(document);
    }

    /** Files written while documents were kept decoded hold each as its BSON behind its length: they read the same. */
    @Test
    void documentsStoredByEarlierVersionsReadTheSame() {
        Document document = new Document("_id", "c-1").append("name", "Ada").append("lines", List.of(
                new Document("sku", "s-1").append("quantity", 2)));
        WriteBuffer buffer = new WriteBuffer();
        LengthPrefixedBson.write(buffer, bson -> de.bwaldvogel.mongo.wire.bson.BsonEncoder.encodeDocument(document, bson));

        java.nio.ByteBuffer bytes = buffer.getBuffer().flip();
        assertThat(StoredDocumentType.decode(StoredDocumentType.INSTANCE.read(bytes))).isEqualTo(document);
        assertThat(bytes.hasRemaining()).isFalse();
        WriteBuffer again = new WriteBuffer();
        StoredDocumentType.INSTANCE.write(again, StoredDocumentType.encode(document));
        assertThat(again.getBuffer().flip()).as("and are written as before").isEqualTo(bytes.rewind());
    }

    @Test
    void indexKeysAreOrderedByValueAndToldApartExactlyAsByEquals() {
        IndexKeyType type = IndexKeyType.INSTANCE;
        assertThat(type.compare(new KeyValue("c-1"), new KeyValue("c-2"))).isNegative();
        assertThat(type.compare(new KeyValue(2), new KeyValue("a"))).isNegative();
        assertThat(type.compare(new KeyValue("a", 1), new KeyValue("a", 1))).isZero();
        int oneAgainstOnePointZero = type.compare(new KeyValue(1), new KeyValue(1.0));
        assertThat(oneAgainstOnePointZero).isNotZero()
                .isEqualTo(-type.compare(new KeyValue(1.0), new KeyValue(1)));
    }

    /** The direct comparisons of strings, dates and longs must give the order MongoDB's comparator gives. */
    @Test
    void keyValuesCompareInTheComparatorsOrder() {
        java.util.Random random = new java.util.Random(20260101);
        List<Object> values = new ArrayList<>(List.of("", "c-1", "c-10", "c-2", "Z", "é", "\uD83D\uDE00", 0L, -1L,
                Long.MAX_VALUE, Long.MIN_VALUE, 1L << 53, (1L << 53) + 1, 7, 7.0, -0.0, 0.0, Double.NaN, true,
                Instant.EPOCH, Instant.parse("2026-01-01T00:00:00.000000001Z"), Missing.getInstance()));
        values.add(null);
        for (int i = 0; i < 200; i++) {
            values.add(Long.toString(random.nextLong(), 36));
            values.add(random.nextLong());
            values.add(Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000)));
        }
        for (Object left : values) {
            for (Object right : values) {
                assertThat(Integer.signum(IndexKeyType.compareValues(left, right))).as("%s against %s", left, right)
                        .isEqualTo(Integer.signum(de.bwaldvogel.mongo.backend.ValueComparator.asc().compare(left, right)));
            }
        }
    }

    /** Distinct keys never compare as equal, even values MongoDB orders alike (7, 7L and 7.0; null and missing). */
    @Test
    void indexKeysCompareAsEqualExactlyWhenTheyAreEqual() {
        List<Object> values = new ArrayList<>(List.of("c-1", "c-2", 7L, 7, 7.0, 8L, Instant.EPOCH,
                Instant.parse("2026-01-01T00:00:00Z"), Missing.getInstance()));
        values.add(null);
        for (Object first : values) {
            for (Object second : values) {
                for (Object third : values) {
                    for (Object fourth : values) {
                        KeyValue left = new KeyValue(first, second);
                        KeyValue right = new KeyValue(third, fourth);
                        int order = IndexKeyType.INSTANCE.compare(left, right);
                        assertThat(order == 0).as("%s against %s", left, right).isEqualTo(left.equals(right));
                        assertThat(Integer.signum(IndexKeyType.INSTANCE.compare(right, left))).isEqualTo(-Integer.signum(order));
                    }
                }
            }
        }
    }

    @Test
    void indexKeysAreStoredCompactlyAndReadBackEqual() {
        IndexKeyType type = IndexKeyType.INSTANCE;
        List<KeyValue> keys = List.of(new KeyValue("c-1"), new KeyValue(2.5, "c-2"), new KeyValue(Long.MAX_VALUE),
                new KeyValue(null, "c-3"), new KeyValue(Missing.getInstance()), new KeyValue(true),
                new KeyValue(Instant.parse("2026-01-01T00:00:00Z"), new ObjectId()),
                new KeyValue(new Document("a", 1.0).append("b", List.of("x", "y"))),
                new KeyValue(new ArrayList<>(List.of(1.0, "two"))),
                new KeyValue(UUID.fromString("00000000-0000-0000-0000-000000000001"))); // not BSON-stored: Java-serialized
        for (KeyValue key : keys) {
            WriteBuffer written = new WriteBuffer();
            type.write(written, key);
            ByteBuffer bytes = written.getBuffer().flip();
            assertThat(type.read(bytes)).as("%s", key).isEqualTo(key);
            assertThat(bytes.hasRemaining()).isFalse();
        }
        WriteBuffer customerKey = new WriteBuffer();
        type.write(customerKey, new KeyValue("c-1"));
        assertThat(customerKey.position()).as("bytes of a one-string key (Java serialization takes over 100)")
                .isLessThan(16);
    }

    /** Pages split by the keys' estimated memory: a key must weigh what it holds, or the index trees grow deep. */
    @Test
    void indexTreesStayShallow() {
        assertThat(IndexKeyType.INSTANCE.getMemory(new KeyValue("c-12345"))).isBetween(40, 200);
        MVStore store = open(dir.resolve("depth.mv"));
        try {
            MVMap<KeyValue, Object> index = store.openMap("index",
                    new MVMap.Builder<KeyValue, Object>().keyType(IndexKeyType.INSTANCE));
            for (int i = 0; i < 100_000; i++) {
                index.put(new KeyValue(String.format("c-%06d", i * 7919 % 100_000), i), "c-" + i);
            }
            store.commit();
            int depth = 1;
            for (org.h2.mvstore.Page<KeyValue, Object> page = index.getRootPage(); !page.isLeaf(); page = page.getChildPage(0)) {
                depth++;
            }
            assertThat(depth).as("levels of a 100,000-key index (one key per 10 KB estimated made it ~30)").isLessThanOrEqualTo(5);
        } finally {
            store.close();
        }
    }

    /** A reply is encoded after the collection's lock is left: an update must not change what a query handed out. */
    @Test
    void aDocumentAQueryFoundIsNotChangedByALaterUpdate() {
        ReadModelBackend backend = new ReadModelBackend(open(dir.resolve("copies.mv")), Duration.ofHours(1), NO_EARLY_COMMIT, SpaceReclaim.NONE);
        try {
            de.bwaldvogel.mongo.MongoCollection<?> customers = backend.resolveDatabase("crm")
                    .createCollectionOrThrowIfExists("customers");
            customers.addDocument(new Document("_id", "c-1").append("segment", "LOYAL").append("tags", new ArrayList<>(List.of("a"))));
            Document byId = customers.handleQuery(new Document("_id", "c-1")).iterator().next();
            Document byScan = customers.handleQuery(new Document("segment", "LOYAL")).iterator().next();

            customers.updateDocuments(new Document("_id", "c-1"), new Document("$set", new Document("segment", "AT_RISK"))
                    .append("$push", new Document("tags", "b")), ArrayFilters.empty(), false, false, NoopOplog.get());

            for (Document handedOut : List.of(byId, byScan)) {
                assertThat(handedOut.get("segment")).isEqualTo("LOYAL");
                assertThat(handedOut.get("tags")).isEqualTo(List.of("a"));
            }
            assertThat(customers.handleQuery(new Document("_id", "c-1")).iterator().next().get("segment")).isEqualTo("AT_RISK");
        } finally {
            backend.close();
        }
    }

    /**
     * A list of string ids ({@code $in}) is matched through a set, not by the library's walk of the list: the same
     * documents must come back, with the other conditions of the query, in finds, counts, updates and deletes.
     */
    @Test
    void aListOfIdsFindsWhatMongoDbWould() {
        onServer("in.mv", client -> {
            MongoCollection<org.bson.Document> customers = client.getDatabase("crm").getCollection("customers");
            List<org.bson.Document> documents = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                documents.add(new org.bson.Document("_id", String.format("c-%04d", i)).append("n", i)
                        .append("segment", i % 3 == 0 ? "LOYAL" : "NEW"));
            }
            documents.add(new org.bson.Document("_id", 7).append("n", 7).append("segment", "LOYAL"));
            customers.insertMany(documents);
            List<String> asked = new ArrayList<>();
            for (int i = 0; i < 1_200; i += 4) { // some missing, one twice
                asked.add(String.format("c-%04d", i));
            }
            asked.add("c-0004");
            asked.add("7"); // a string: not the number 7

            assertThat(customers.find(Filters.in("_id", asked)).map(d -> d.get("_id")).into(new ArrayList<>()))
                    .hasSize(250).allMatch(id -> id instanceof String text && Integer.parseInt(text.substring(2)) % 4 == 0);
            // As Spring Data writes a criteria on several fields: one document, not an $and.
            assertThat(customers.find(idIn(asked).append("segment", "LOYAL"))
                    .sort(Sorts.descending("n")).limit(3).map(d -> d.get("_id")).into(new ArrayList<>()))
                    .containsExactly("c-0996", "c-0984", "c-0972");
            assertThat(customers.countDocuments(idIn(asked).append("n", new org.bson.Document("$lt", 100)))).isEqualTo(25);
            assertThat(customers.countDocuments(Filters.and(Filters.in("_id", asked), Filters.lt("n", 100)))).isEqualTo(25);
            assertThat(customers.find(Filters.in("_id", List.of("c-0001", 7))).map(d -> d.get("_id")).into(new ArrayList<>()))
                    .containsExactlyInAnyOrder("c-0001", 7);
            assertThat(customers.find(Filters.in("_id", List.of())).into(new ArrayList<>())).isEmpty();

            assertThat(customers.updateMany(idIn(asked).append("segment", "NEW"),
                    Updates.set("segment", "AT_RISK")).getModifiedCount()).isEqualTo(166);
            assertThat(customers.deleteMany(Filters.in("_id", List.of("c-0004", "c-0001", "nobody"))).getDeletedCount())
                    .isEqualTo(2);
            assertThat(customers.countDocuments(Filters.eq("segment", "AT_RISK"))).isEqualTo(165);
        });
    }

    /**
     * The projections insert side documents and ignore the duplicates a redelivered batch brings (MongoStateStore):
     * an unordered insert stores every other document and names each refused one by its place and MongoDB's code.
     */
    @Test
    void anUnorderedInsertStoresAllButTheDuplicatesAndNamesThem() {
        onServer("duplicates.mv", client -> {
            MongoCollection<org.bson.Document> items = client.getDatabase("crm").getCollection("items");
            items.insertOne(new org.bson.Document("_id", "i-2").append("n", 2));

            assertThatThrownBy(() -> items.insertMany(List.of(new org.bson.Document("_id", "i-1").append("n", 1),
                    new org.bson.Document("_id", "i-2").append("n", 2), new org.bson.Document("_id", "i-3").append("n", 3)),
                    new InsertManyOptions().ordered(false)))
                    .isInstanceOfSatisfying(MongoBulkWriteException.class, refusal -> assertThat(refusal.getWriteErrors())
                            .extracting(BulkWriteError::getIndex, BulkWriteError::getCode)
                            .containsExactly(tuple(1, 11000)));
            assertThat(items.find().sort(Sorts.ascending("_id")).map(d -> d.get("_id")).into(new ArrayList<>()))
                    .containsExactly("i-1", "i-2", "i-3");
        });
    }

    /**
     * The id index keeps its entries itself rather than through the library's key walk (IdLookupIndex): ids that
     * MongoDB holds equal (1, 1L, 1.0) are one id, a sub-document is an id, a replacement keeps its entry, a deletion
     * frees the id, and a refusal is MongoDB's duplicate-key error.
     */
    @Test
    void theIdIndexRefusesAndFreesIdsAsMongoDbDoes() {
        onServer("ids.mv", client -> {
            MongoCollection<org.bson.Document> docs = client.getDatabase("crm").getCollection("docs");
            docs.insertOne(new org.bson.Document("_id", 1).append("n", "int"));
            docs.insertOne(new org.bson.Document("_id", "1").append("n", "string"));
            docs.insertOne(new org.bson.Document("_id", new org.bson.Document("a", 1)).append("n", "document"));

            for (Object sameId : List.of(1L, 1.0, new org.bson.Document("a", 1))) {
                assertThatThrownBy(() -> docs.insertOne(new org.bson.Document("_id", sameId)))
                        .isInstanceOfSatisfying(MongoWriteException.class,
                                refusal -> assertThat(refusal.getCode()).isEqualTo(11000));
            }
            docs.replaceOne(new org.bson.Document("_id", 1), new org.bson.Document("_id", 1).append("n", "replaced"));
            assertThat(docs.find(new org.bson.Document("_id", 1.0)).first()).containsEntry("n", "replaced");

            docs.deleteOne(new org.bson.Document("_id", 1L));
            docs.insertOne(new org.bson.Document("_id", 1.0).append("n", "double"));
            docs.replaceOne(new org.bson.Document("_id", 2), new org.bson.Document("_id", 2).append("n", "upserted"),
                    new ReplaceOptions().upsert(true));

            assertThat(docs.find().sort(Sorts.ascending("n")).map(d -> d.getString("n")).into(new ArrayList<>()))
                    .containsExactly("document", "double", "string", "upserted");
            assertThat(docs.find(new org.bson.Document("_id", 1)).first()).containsEntry("n", "double");
        });
    }

    /**
     * A string id is answered by the document map, which is keyed by it: no entry of its own is written. Entries a
     * file written before holds for string ids are not read for them (here one whose document is gone).
     */
    @Test
    void aStringIdIsItsOwnEntryAndEntriesWrittenBeforeForStringIdsAreNotRead() {
        onServer("string-ids.mv", client -> {
            MongoCollection<org.bson.Document> docs = client.getDatabase("crm").getCollection("docs");
            docs.insertMany(List.of(new org.bson.Document("_id", "c-2").append("n", 2),
                    new org.bson.Document("_id", "c-1").append("n", 1), new org.bson.Document("_id", 7).append("n", 7)));
        });
        MVStore store = open(dir.resolve("string-ids.mv"));
        try {
            MVMap<KeyValue, Object> entries = store.openMap("crm.docs._index__id_", ReadModelBackend.indexMapType());
            assertThat(entries.keySet()).containsExactly(new KeyValue(7).normalized());
            entries.put(new KeyValue("c-0"), "c-0"); // an earlier form's entry of a document deleted since
            store.commit();
        } finally {
            store.close();
        }

        onServer("string-ids.mv", client -> {
            MongoCollection<org.bson.Document> docs = client.getDatabase("crm").getCollection("docs");
            assertThat(docs.find(Filters.eq("_id", "c-0")).first()).isNull();
            assertThat(docs.find(Filters.in("_id", "c-0", "c-1", 7)).map(d -> d.get("_id")).into(new ArrayList<>()))
                    .containsExactly(7, "c-1");
            assertThat(docs.find(Filters.gte("_id", "")).map(d -> d.get("_id")).into(new ArrayList<>()))
                    .containsExactly("c-1", "c-2");
            assertThat(docs.find(Filters.gt("_id", 0)).map(d -> d.get("_id")).into(new ArrayList<>())).containsExactly(7);
            assertThat(docs.find(Filters.regex("_id", "^c-")).map(d -> d.get("_id")).into(new ArrayList<>()))
                    .containsExactlyInAnyOrder("c-1", "c-2");

            assertThatThrownBy(() -> docs.insertOne(new org.bson.Document("_id", "c-1")))
                    .isInstanceOfSatisfying(MongoWriteException.class, refusal -> assertThat(refusal.getCode()).isEqualTo(11000));
            docs.insertOne(new org.bson.Document("_id", "c-0").append("n", 0));
            docs.deleteOne(Filters.eq("_id", "c-2"));
            assertThat(docs.find().sort(Sorts.ascending("_id")).map(d -> d.get("_id")).into(new ArrayList<>()))
                    .containsExactly(7, "c-0", "c-1");
            assertThat(docs.countDocuments(Filters.eq("_id", "c-2"))).isZero();
        });
    }

    /** The keyset pages of a re-evaluation of everyone: {@code _id > last}, sorted by id, a page at a time. */
    @Test
    void rangesOfIdsArePagedInOrderAndMatchedAsMongoDbDoes() {
        onServer("ranges.mv", client -> {
            MongoCollection<org.bson.Document> customers = client.getDatabase("crm").getCollection("customers");
            List<org.bson.Document> documents = new ArrayList<>();
            for (int i = 2_499; i >= 0; i--) { // inserted out of order
                documents.add(new org.bson.Document("_id", String.format("c-%04d", i)).append("n", i));
            }
            documents.add(new org.bson.Document("_id", 42).append("n", -1)); // another type: never in a string range
            customers.insertMany(documents);
            customers.deleteOne(Filters.eq("_id", "c-0150"));

            List<Object> paged = new ArrayList<>();
            String last = null;
            List<org.bson.Document> page;
            do {
                page = customers.find(last == null ? Filters.type("_id", "string") : Filters.gt("_id", last))
                        .sort(Sorts.ascending("_id")).limit(100).into(new ArrayList<>());
                page.forEach(document -> paged.add(document.get("_id")));
                last = page.isEmpty() ? last : page.get(page.size() - 1).getString("_id");
            } while (page.size() == 100);

            assertThat(paged).hasSize(2_499).doesNotHaveDuplicates().doesNotContain("c-0150", 42)
                    .isSortedAccordingTo(Comparator.comparing(Object::toString));
            assertThat(customers.find(Filters.and(Filters.gte("_id", "c-0100"), Filters.lte("_id", "c-0105")))
                    .sort(Sorts.ascending("_id")).map(d -> d.get("_id")).into(new ArrayList<>()))
                    .containsExactly("c-0100", "c-0101", "c-0102", "c-0103", "c-0104", "c-0105");
            assertThat(customers.countDocuments(Filters.and(Filters.gt("_id", "c-2497"), Filters.lt("_id", "c-9")))).isEqualTo(2);
            assertThat(customers.find(Filters.and(Filters.gt("_id", "c-1000"), Filters.lt("n", 1005)))
                    .sort(Sorts.descending("_id")).map(d -> d.get("_id")).into(new ArrayList<>()))
                    .containsExactly("c-1004", "c-1003", "c-1002", "c-1001");
        });
    }

    @Test
    void aCrashKeepsExactlyTheLastCommitWithDocumentsAndIndexesInAgreement() {
        Path file = dir.resolve("readmodel.mv");
        MVStore store = open(file);
        ReadModelBackend backend = new ReadModelBackend(store, Duration.ofHours(1), NO_EARLY_COMMIT, SpaceReclaim.NONE);
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
            MongoCollection<org.bson.Document> customers = client.getDatabase("crm").getCollection("customers");
            customers.insertMany(documents(0, 100));
            customers.replaceOne(Filters.eq("_id", "c-5"), new org.bson.Document("_id", "c-5").append("n", -5));
            backend.commit();
            customers.insertMany(documents(100, 200));
            customers.replaceOne(Filters.eq("_id", "c-6"), new org.bson.Document("_id", "c-6").append("n", -6));
        }
        store.closeImmediately(); // what a SIGKILL leaves: nothing after the last commit
        server.shutdownNow();

        withCustomersReopened(file, customers -> {
            assertOnlyTheFirstHundredAndTheCommittedReplacement(customers);
            // The index agrees with the documents: the lost ones can be written again, the kept ones are unique.
            customers.insertMany(documents(100, 200));
            customers.replaceOne(Filters.eq("_id", "c-150"), new org.bson.Document("_id", "c-150").append("n", 0),
                    new ReplaceOptions().upsert(true));
            assertThat(customers.countDocuments()).isEqualTo(200);
            assertThatThrownBy(() -> customers.insertOne(new org.bson.Document("_id", "c-7")))
                    .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
        });
    }

    @Test
    void writesGoOnWhileACommitIsPastItsSnapshotAndTheCommitHoldsOnlyWhatCameBeforeIt() throws Exception {
        Path file = dir.resolve("snapshot.mv");
        CommitGate gate = new CommitGate();
        gate.open(file.toString(), false, "test-only".toCharArray());
        MVStore store = new MVStore.Builder().adoptFileStore(gate).autoCommitDisabled().autoCommitBufferSize(0).open();
        ReadModelBackend backend = new ReadModelBackend(store, Duration.ofHours(1), NO_EARLY_COMMIT, SpaceReclaim.NONE);
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
            MongoCollection<org.bson.Document> customers = client.getDatabase("crm").getCollection("customers");
            customers.insertMany(documents(0, 100));
            backend.commit();
            customers.replaceOne(Filters.eq("_id", "c-5"), new org.bson.Document("_id", "c-5").append("n", -5));

            gate.holdNextCommit();
            Future<?> commit = threads.submit(backend::commit);
            assertThat(gate.holding.await(10, TimeUnit.SECONDS)).as("the commit took its snapshot").isTrue();
            // The commit is held after its snapshot: these writes run now, or (held behind it) time out here.
            Future<?> writes = threads.submit(() -> {
                customers.insertMany(documents(100, 200));
                customers.replaceOne(Filters.eq("_id", "c-6"), new org.bson.Document("_id", "c-6").append("n", -6));
            });
            writes.get(10, TimeUnit.SECONDS);
            assertThat(commit).isNotDone();
            gate.release.countDown();
            commit.get(10, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        store.closeImmediately(); // what a SIGKILL leaves: nothing after the last commit
        server.shutdownNow();

        withCustomersReopened(file, ReadModelBackendTest::assertOnlyTheFirstHundredAndTheCommittedReplacement);
    }

    /** The state both crash tests commit: documents 0 to 99, c-5 replaced; nothing written after the commit. */
    private static void assertOnlyTheFirstHundredAndTheCommittedReplacement(MongoCollection<org.bson.Document> customers) {
        assertThat(customers.countDocuments()).isEqualTo(100);
        assertThat(customers.find(Filters.eq("_id", "c-5")).first().getInteger("n")).isEqualTo(-5);
        assertThat(customers.find(Filters.eq("_id", "c-6")).first().getInteger("n")).isEqualTo(6);
    }

    /** Opens the store on {@code file} again, as a restarted query side would, and hands its customers to {@code use}. */
    private static void withCustomersReopened(Path file, Consumer<MongoCollection<org.bson.Document>> use) {
        MongoServer restarted = new MongoServer(new ReadModelBackend(open(file), Duration.ofHours(1), NO_EARLY_COMMIT,
                SpaceReclaim.NONE));
        InetSocketAddress again = restarted.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + again.getHostString() + ":" + again.getPort())) {
            use.accept(client.getDatabase("crm").getCollection("customers"));
        } finally {
            restarted.shutdown();
        }
    }

    /** The store's file, whose next commit waits for the test once it has taken its snapshot. */
    private static final class CommitGate extends SnapshotSignallingFileStore {

        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private volatile boolean hold;

        CommitGate() {
            super(16);
        }

        void holdNextCommit() {
            hold = true;
        }

        @Override
        public WriteBuffer getWriteBuffer() {
            WriteBuffer buffer = super.getWriteBuffer();
            if (hold) {
                hold = false;
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return buffer;
        }
    }

    @Test
    void aSecondaryIndexAnswersEqualityQueriesExactlyAsAScanWouldAndFollowsEveryChange() {
        Path file = dir.resolve("indexed.mv");
        MVStore store = open(file);
        MongoServer server = new MongoServer(new ReadModelBackend(store, Duration.ofHours(1), NO_EARLY_COMMIT, SpaceReclaim.NONE));
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
            MongoCollection<org.bson.Document> items = client.getDatabase("crm").getCollection("items");
            MongoCollection<org.bson.Document> scanned = client.getDatabase("crm").getCollection("scanned");
            List<org.bson.Document> documents = new java.util.ArrayList<>();
            for (int i = 0; i < 300; i++) {
                documents.add(new org.bson.Document("_id", "i-" + i).append("customerId", "c-" + (i % 7))
                        .append("n", i));
            }
            documents.add(new org.bson.Document("_id", "no-customer").append("n", -1));
            documents.add(new org.bson.Document("_id", "many").append("customerId", List.of("c-1", "c-2")).append("n", -2));
            items.insertMany(documents.subList(0, 150));
            items.createIndex(Indexes.ascending("customerId", "n")); // existing documents are indexed too
            items.insertMany(documents.subList(150, documents.size()));
            scanned.insertMany(documents);
            items.updateOne(Filters.eq("_id", "i-3"), Updates.set("customerId", "c-99"));
            scanned.updateOne(Filters.eq("_id", "i-3"), Updates.set("customerId", "c-99"));
            items.deleteOne(Filters.eq("_id", "i-10"));
            scanned.deleteOne(Filters.eq("_id", "i-10"));
            items.replaceOne(Filters.eq("_id", "i-11"), new org.bson.Document("_id", "i-11").append("customerId", "c-1"));
            scanned.replaceOne(Filters.eq("_id", "i-11"), new org.bson.Document("_id", "i-11").append("customerId", "c-1"));

            for (org.bson.conversions.Bson query : List.of(Filters.eq("customerId", "c-1"),
                    Filters.eq("customerId", "c-99"), Filters.eq("customerId", "nobody"),
                    Filters.and(Filters.eq("customerId", "c-2"), Filters.gte("n", 100)),
                    Filters.and(Filters.and(Filters.eq("customerId", "c-3"), Filters.lt("n", 50)),
                            Filters.or(Filters.eq("n", 3), Filters.gt("n", 20))))) {
                assertThat(ids(items.find(query).sort(Sorts.ascending("n")))).as(query.toString())
                        .isEqualTo(ids(scanned.find(query).sort(Sorts.ascending("n"))));
            }
            assertThat(ids(items.find(Filters.eq("customerId", "c-2")))).contains("many");

            // An id with more conditions (a conditional update) is looked up by id, then matched in full.
            assertThat(ids(items.find(Filters.and(Filters.eq("_id", "i-5"), Filters.eq("n", 5))))).containsExactly("i-5");
            assertThat(ids(items.find(Filters.and(Filters.eq("_id", "i-5"), Filters.eq("n", 6))))).isEmpty();
            assertThat(items.updateOne(Filters.and(Filters.eq("_id", "i-7"), Filters.eq("n", 999)), Updates.set("n", 0))
                    .getMatchedCount()).isZero();
            assertThat(items.updateOne(Filters.and(Filters.eq("_id", "i-7"), Filters.eq("n", 7)), Updates.set("n", 70))
                    .getModifiedCount()).isEqualTo(1);
            assertThat(items.find(Filters.eq("_id", "i-7")).first().getInteger("n")).isEqualTo(70);
            scanned.updateOne(Filters.eq("_id", "i-7"), Updates.set("n", 70));
            org.bson.conversions.Bson someIds = Filters.and(Filters.in("_id", "i-1", "i-2", "i-20", "nobody"),
                    Filters.gt("n", 1));
            assertThat(ids(items.find(someIds).sort(Sorts.descending("n")))).containsExactly("i-20", "i-2")
                    .isEqualTo(ids(scanned.find(someIds).sort(Sorts.descending("n"))));
        }
        server.shutdown();

        // Reopened, the index is still there and still agrees.
        MongoServer restarted = new MongoServer(new ReadModelBackend(open(file), Duration.ofHours(1), NO_EARLY_COMMIT, SpaceReclaim.NONE));
        InetSocketAddress again = restarted.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + again.getHostString() + ":" + again.getPort())) {
            MongoCollection<org.bson.Document> items = client.getDatabase("crm").getCollection("items");
            MongoCollection<org.bson.Document> scanned = client.getDatabase("crm").getCollection("scanned");
            assertThat(ids(items.find(Filters.eq("customerId", "c-4")))).hasSize(42)
                    .isEqualTo(ids(scanned.find(Filters.eq("customerId", "c-4"))));
            items.deleteMany(Filters.eq("customerId", "c-4"));
            assertThat(items.countDocuments(Filters.eq("customerId", "c-4"))).isZero();
            assertThat(items.countDocuments()).isEqualTo(scanned.countDocuments() - 42);
        } finally {
            restarted.shutdown();
        }
    }

    /**
     * The {@code count} command (how the segment totals are asked) agrees with a scan, and counts a string equality
     * on an indexed field from the index without reading, copying or collecting the documents: the library's own
     * count collected a copy of every match, which at a million customers exhausted a 1 GiB heap.
     */
    @Test
    void theCountCommandAgreesWithAScanAndCountsFromTheIndexWithoutReadingDocuments() {
        MongoServer server = new MongoServer(new ReadModelBackend(open(dir.resolve("count.mv")), Duration.ofHours(1),
                NO_EARLY_COMMIT, SpaceReclaim.NONE));
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
            com.mongodb.client.MongoDatabase database = client.getDatabase("crm");
            MongoCollection<org.bson.Document> items = database.getCollection("items");
            MongoCollection<org.bson.Document> scanned = database.getCollection("scanned");
            items.createIndex(Indexes.ascending("assessment.segment"));
            String payload = "x".repeat(4_000);
            List<org.bson.Document> documents = new java.util.ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                documents.add(new org.bson.Document("_id", "c-" + i).append("n", i % 10).append("payload", payload)
                        .append("assessment", new org.bson.Document("segment", i % 4 == 0 ? "VIP" : "REGULAR")));
            }
            documents.add(new org.bson.Document("_id", "unassessed").append("n", 1));
            documents.add(new org.bson.Document("_id", "both").append("assessment",
                    new org.bson.Document("segment", List.of("VIP", "REGULAR"))));
            items.insertMany(documents);
            scanned.insertMany(documents);

            for (org.bson.Document query : List.of(new org.bson.Document("assessment.segment", "VIP"),
                    new org.bson.Document("assessment.segment", "REGULAR"), new org.bson.Document("assessment.segment", "NONE"),
                    new org.bson.Document("assessment.segment", "VIP").append("n", 4), new org.bson.Document("n", 3))) {
                long expected = scanned.countDocuments(query);
                assertThat(count(database, "items", query, 0, 0)).as(query.toJson()).isEqualTo(expected)
                        .isEqualTo(count(database, "scanned", query, 0, 0));
            }
            org.bson.Document vip = new org.bson.Document("assessment.segment", "VIP");
            assertThat(count(database, "items", vip, 0, 0)).isEqualTo(5_001);
            assertThat(count(database, "items", vip, 5_000, 0)).isEqualTo(1);
            assertThat(count(database, "items", vip, 10, 7)).isEqualTo(7);
            assertThat(count(database, "nothing-here", vip, 0, 0)).isZero();

            // The documents above weigh 80 MB; counting a segment from the index allocates next to nothing.
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long before = allocatedByAllThreads(threads);
            for (int i = 0; i < 5; i++) {
                count(database, "items", vip, 0, 0);
            }
            assertThat(allocatedByAllThreads(threads) - before).isLessThan(16L * 1024 * 1024);
        } finally {
            server.shutdown();
        }
    }

    /**
     * An {@code $in} on a secondary index's field (the segment change log asked for a page of customers) is answered
     * from the index and agrees with a scan, for strings, arrays holding one of the values, numbers and documents
     * without the field, alone or with more conditions. Without the index the server read and matched every document
     * of the collection for each such query.
     */
    @Test
    void anInOnAnIndexedFieldFindsWhatAScanFinds() {
        onServer("in.mv", client -> {
            com.mongodb.client.MongoDatabase database = client.getDatabase("crm");
            MongoCollection<org.bson.Document> items = database.getCollection("items");
            MongoCollection<org.bson.Document> scanned = database.getCollection("scanned");
            items.createIndex(Indexes.ascending("customerId", "occurredAt", "_id"));
            List<org.bson.Document> documents = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                documents.add(new org.bson.Document("_id", "e-" + i).append("customerId", "c-" + (i % 5_000))
                        .append("occurredAt", i));
            }
            documents.add(new org.bson.Document("_id", "both").append("customerId", List.of("c-1", "c-x")));
            documents.add(new org.bson.Document("_id", "numbered").append("customerId", 7));
            documents.add(new org.bson.Document("_id", "nobody's"));
            items.insertMany(documents);
            scanned.insertMany(documents);

            for (org.bson.conversions.Bson query : List.of(Filters.in("customerId", "c-1", "c-2", "c-4999", "none"),
                    Filters.in("customerId", "c-x"), Filters.in("customerId", List.of()),
                    Filters.in("customerId", "c-3", 7),
                    Filters.and(Filters.in("customerId", "c-1", "c-2"), Filters.gte("occurredAt", 5_000)),
                    Filters.and(Filters.in("customerId", "c-1", "c-2"), Filters.in("_id", "e-1", "e-5002", "both")))) {
                assertThat(ids(items.find(query).sort(Sorts.ascending("_id")))).as(query.toString())
                        .isEqualTo(ids(scanned.find(query).sort(Sorts.ascending("_id"))));
            }
            assertThat(ids(items.find(Filters.in("customerId", "c-1", "c-2")))).containsExactlyInAnyOrder(
                    "both", "e-1", "e-5001", "e-10001", "e-15001", "e-2", "e-5002", "e-10002", "e-15002");

        });
    }

    @Test
    void theIndexGivesThePositionsOfEachValueOfAnIn() {
        MVStore store = new MVStore.Builder().open();
        EqualityPrefixIndex index = new EqualityPrefixIndex("customerId_1", List.of(
                new de.bwaldvogel.mongo.backend.IndexKey("customerId", true)), false,
                store.openMap("index", ReadModelBackend.indexMapType()));
        index.add(new Document("_id", "e-1").append("customerId", "c-1"), 1L, null);
        index.add(new Document("_id", "e-2").append("customerId", "c-2"), 2L, null);
        index.add(new Document("_id", "e-3").append("customerId", List.of("c-1", "c-3")), 3L, null);
        index.add(new Document("_id", "e-4").append("customerId", "c-4"), 4L, null);
        Document in = new Document("customerId", new Document("$in", List.of("c-1", "c-3", "c-9")));

        assertThat(index.canHandle(in)).isTrue();
        assertThat(index.getPositions(in)).containsExactlyInAnyOrder(1L, 3L);
        assertThat(index.candidates(in, 10)).isEqualTo(3); // e-3 under both of its values
        assertThat(index.canHandle(new Document("customerId", new Document("$in", List.of("c-1", new Document())))))
                .isFalse();
        store.close();
    }

    /**
     * Writes do not encode their documents once more to keep a byte count (collStats reports 0); the documents and
     * the count of them are unchanged by that.
     */
    @Test
    void writesKeepNoByteCountOfTheDocuments() {
        onServer("size.mv", client -> {
            com.mongodb.client.MongoDatabase database = client.getDatabase("crm");
            MongoCollection<org.bson.Document> items = database.getCollection("items");
            items.insertMany(documents(0, 100));
            items.updateOne(Filters.eq("_id", "c-1"), Updates.set("payload", "x".repeat(1_000)));
            items.deleteOne(Filters.eq("_id", "c-2"));

            org.bson.Document stats = database.runCommand(new org.bson.Document("collStats", "items"));
            assertThat(stats.get("count", Number.class).intValue()).isEqualTo(99);
            assertThat(stats.get("size", Number.class).longValue()).isZero();
            assertThat(items.find(Filters.eq("_id", "c-1")).first().getString("payload")).hasSize(1_000);
        });
    }

    /** A sorted page keeps only its own documents yet gives exactly what a stable sort of everything would, ties included. */
    @Test
    void aSortedPageIsTheFirstDocumentsOfAStableSort() {
        java.util.Random random = new java.util.Random(7);
        List<Document> documents = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            documents.add(new Document("_id", "c-" + i).append("name", "n-" + random.nextInt(50)));
        }
        java.util.Comparator<Document> byName = java.util.Comparator.comparing(document -> (String) document.get("name"));
        for (java.util.Comparator<Document> order : List.of(byName, byName.reversed())) {
            for (long count : List.of(1L, 7L, 51L, 1_999L, 2_000L, 5_000L)) {
                assertThat(ReadModelCollection.firstInOrder(documents.stream(), order, count).toList())
                        .as("first %d", count)
                        .isEqualTo(documents.stream().sorted(order).limit(count).toList());
            }
        }
    }

    private static long count(com.mongodb.client.MongoDatabase database, String collection, org.bson.Document query,
                              int skip, int limit) {
        org.bson.Document command = new org.bson.Document("count", collection).append("query", query);
        if (skip > 0) {
            command.append("skip", skip);
        }
        if (limit > 0) {
            command.append("limit", limit);
        }
        return ((Number) database.runCommand(command).get("n")).longValue();
    }

    private static long allocatedByAllThreads(java.lang.management.ThreadMXBean threads) {
        com.sun.management.ThreadMXBean counting = (com.sun.management.ThreadMXBean) threads;
        long total = 0;
        for (long allocated : counting.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, allocated);
        }
        return total;
    }

    private static List<String> ids(Iterable<org.bson.Document> documents) {
        List<String> ids = new java.util.ArrayList<>();
        documents.forEach(document -> ids.add(document.getString("_id")));
        return ids;
    }

    @Test
    void writesThatLeaveTooMuchUnsavedCommitBeforeTheInterval() {
        MVStore store = open(dir.resolve("early.mv"));
        MongoServer server = new MongoServer(new ReadModelBackend(store, Duration.ofHours(1), 64 * 1024, SpaceReclaim.NONE));
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
            MongoCollection<org.bson.Document> customers = client.getDatabase("crm").getCollection("customers");
            customers.insertOne(new org.bson.Document("_id", "small"));
            assertThat(store.hasUnsavedChanges()).as("a small write waits for the interval").isTrue();

            customers.insertMany(documents(0, 5_000));

            await().atMost(Duration.ofSeconds(10)).until(() -> !store.hasUnsavedChanges());
            assertThat(store.getUnsavedMemory()).isLessThanOrEqualTo(64 * 1024);
        } finally {
            server.shutdown();
        }
    }

    /**
     * A drop answers at once and leaves nothing of the collection or index to be found; the entries of their maps are
     * removed in the background, and a collection of the same name starts empty meanwhile.
     */
    @Test
    void aDropLeavesNothingToFindAndItsEntriesGoInTheBackground() {
        MVStore store = open(dir.resolve("drops.mv"));
        ReadModelBackend backend = new ReadModelBackend(store, Duration.ofHours(1), NO_EARLY_COMMIT, SpaceReclaim.NONE);
        MongoServer server = new MongoServer(backend);
        try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString())) {
            MongoCollection<org.bson.Document> items = client.getDatabase("crm").getCollection("items");
            items.createIndex(Indexes.ascending("customerId"));
            items.createIndex(Indexes.ascending("kind"));
            List<org.bson.Document> all = new ArrayList<>();
            for (int i = 0; i < 6_000; i++) {
                all.add(new org.bson.Document("_id", "i-" + i).append("customerId", "c-" + i % 50).append("kind", i % 3));
            }
            items.insertMany(all);

            items.dropIndex("kind_1");
            assertThat(items.listIndexes().map(index -> index.getString("name")).into(new ArrayList<>()))
                    .containsExactlyInAnyOrder("_id_", "customerId_1");
            assertThat(items.countDocuments(Filters.eq("kind", 1))).isEqualTo(2_000); // found by a scan now

            items.drop();
            assertThat(client.getDatabase("crm").listCollectionNames().into(new ArrayList<>())).doesNotContain("items");
            items.insertOne(new org.bson.Document("_id", "i-1").append("customerId", "c-1"));
            assertThat(items.countDocuments()).isEqualTo(1);
            assertThat(items.countDocuments(Filters.eq("customerId", "c-1"))).isEqualTo(1);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(backend.droppedEntriesLeft()).isZero();
                assertThat(store.getMapNames()).noneMatch(name -> name.startsWith("$dropped."));
            });
        } finally {
            server.shutdownNow();
            backend.close();
        }
    }

    @Test
    void aCleanCloseKeepsEverything() {
        Path file = dir.resolve("closed.mv");
        for (int round = 0; round < 3; round++) {
            MVStore store = open(file);
            ReadModelBackend backend = new ReadModelBackend(store, Duration.ofMillis(50), NO_EARLY_COMMIT, SpaceReclaim.NONE);
            MongoServer server = new MongoServer(backend);
            InetSocketAddress address = server.bind();
            try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
                MongoCollection<org.bson.Document> customers = client.getDatabase("crm").getCollection("customers");
                assertThat(customers.countDocuments()).isEqualTo(round * 2000L);
                customers.insertMany(documents(round * 2000, round * 2000 + 2000));
            }
            server.shutdown();
            assertThat(store.isClosed()).isTrue();
        }
    }

    /**
     * Commits that each rewrite a random part of a collection's pages leave many chunks partly live for a long time;
     * rewriting the sparse chunks' live pages lets them fall free, and nothing is lost or changed by the move.
     */
    @Test
    void sparseChunksAreRewrittenSoTheFileStaysNearItsData() {
        MVStore store = open(dir.resolve("sparse.mv"));
        ReadModelBackend backend = new ReadModelBackend(store, Duration.ofHours(1), NO_EARLY_COMMIT,
                new SpaceReclaim(50, 64 << 20));
        store.setRetentionTime(0); // chunks may be rewritten and reused at once (the backend's default waits an interval)
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        String padding = "x".repeat(180); // weighed by H2 as 400 characters were when documents were kept decoded
        int blocks = 200;
        int perBlock = 25; // about one leaf page of the collection
        try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
            MongoCollection<org.bson.Document> customers = client.getDatabase("crm").getCollection("customers");
            List<org.bson.Document> all = new ArrayList<>();
            for (int i = 0; i < blocks * perBlock; i++) {
                all.add(new org.bson.Document("_id", String.format("c-%05d", i)).append("round", 0).append("padding", padding));
            }
            customers.insertMany(all);
            backend.commit();
            java.util.Random random = new java.util.Random(7);
            int[] lastRound = new int[blocks];
            for (int round = 1; round <= 30; round++) {
                for (int block = 0; block < blocks; block++) {
                    if (random.nextInt(10) < 2) { // a fifth of the pages changes in each commit
                        customers.updateOne(Filters.eq("_id", String.format("c-%05d", block * perBlock)),
                                Updates.set("round", round));
                        lastRound[block] = round;
                    }
                }
                backend.commit();
            }
            int before = store.getFileStore().getChunksFillRate();

            backend.reclaimSpace(false);
            for (int commit = 0; commit < 8; commit++) { // chunks left empty are dropped a few versions later
                backend.commit();
                customers.insertOne(new org.bson.Document("_id", "later-" + commit));
            }
            backend.commit();

            int after = store.getFileStore().getChunksFillRate();
            assertThat(before).as("live share of the chunks after the scattered updates").isLessThan(50);
            assertThat(after).as("after rewriting, from %d %% (49 %% without)", before).isGreaterThanOrEqualTo(75);
            assertThat(customers.countDocuments()).isEqualTo(blocks * perBlock + 8);
            for (int block = 0; block < blocks; block++) {
                org.bson.Document first = customers.find(Filters.eq("_id", String.format("c-%05d", block * perBlock))).first();
                assertThat(first.getInteger("round")).isEqualTo(lastRound[block]);
                assertThat(first.getString("padding")).isEqualTo(padding);
            }
        } finally {
            server.shutdown();
        }
    }

    /** Runs {@code test} with a client of a server on a new backend in {@code fileName} (commits only when asked). */
    private void onServer(String fileName, Consumer<MongoClient> test) {
        ReadModelBackend backend = new ReadModelBackend(open(dir.resolve(fileName)), Duration.ofHours(1), NO_EARLY_COMMIT, SpaceReclaim.NONE);
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort())) {
            test.accept(client);
        } finally {
            server.shutdownNow();
            backend.close();
        }
    }

    private static org.bson.Document idIn(List<?> ids) {
        return new org.bson.Document("_id", new org.bson.Document("$in", ids));
    }

    private static MVStore open(Path file) {
        return ReadModelBackend.openStore(file.toString(), "test-only".toCharArray(), 16, false);
    }

    private static List<org.bson.Document> documents(int from, int to) {
        List<org.bson.Document> documents = new ArrayList<>();
        IntStream.range(from, to).forEach(i -> documents.add(new org.bson.Document("_id", "c-" + i).append("n", i)));
        return documents;
    }
}
