package io.crmhistory.embeddedmongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.Assert;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryMatcher;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The library's H2 collection, except that documents are stored as their BSON bytes ({@link StoredDocumentType}) and
 * every document read is decoded anew. The library updates the document an update's query found in place and only
 * then puts it back, while the documents a find returns are encoded into the reply after the collection's lock is
 * left: sharing the stored instances, a reply could be encoded while an update changed its document (seen at 100,000
 * customers as a {@code ConcurrentModificationException} in the server's reply encoder), and a reader could get a
 * document half old, half new. Decoded per read, a stored document is never changed, only replaced, so every reader
 * holds one whole version of it, without a copy. It also keeps no byte count of its documents
 * ({@link #tracksDataSize()}).
 * <p>
 * Because a stored document is never changed, queries and counts run outside the collection's monitor, which the
 * library's writes hold ({@link #handleQuery}).
 */
final class ReadModelCollection extends H2Collection {

    private static final String ID = "_id";

    /**
     * Held for reading by every query and count that runs outside the monitor, for writing while an index is added or
     * dropped: the library keeps its indexes in a plain list, which those queries must not read while it changes.
     * Always taken before the monitor, never while holding it (a query inside a write holds the monitor already,
     * which excludes index changes too), so the two cannot deadlock.
     */
    private final ReadWriteLock indexChanges = new ReentrantReadWriteLock();
    private final MVMap<Object, byte[]> documents;

    /**
     * The library's collection is given the same map as documents: of its own methods only {@code count} and
     * {@code isEmpty} still use it, and they read its size alone; every method that reads or writes values is
     * overridden here.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    ReadModelCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                        MVMap<Object, byte[]> documents, MVMap<String, Object> meta, CursorRegistry cursors) {
        super(database, collectionName, options, (MVMap) documents, meta, cursors);
        this.documents = documents;
    }

    /** As the library's, keyed by the document's id; the document goes in as its bytes. */
    @Override
    protected Object addDocumentInternal(Document document) {
        Object key = getIdField() != null ? Utils.getSubdocumentValue(document, getIdField()) : UUID.randomUUID();
        byte[] previous = documents.put(Missing.ofNullable(key), StoredDocumentType.encode(document));
        Assert.isNull(previous, () -> "Document with key '" + key + "' already existed in " + this);
        return key;
    }

    @Override
    protected Document getDocument(Object position) {
        return StoredDocumentType.decode(documents.get(position));
    }

    @Override
    protected void removeDocument(Object position) {
        if (documents.remove(position) == null) {
            throw new NoSuchElementException("No document with key " + position);
        }
    }

    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        documents.put(Missing.ofNullable(position), StoredDocumentType.encode(newDocument));
    }

    @Override
    protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
        return documents.entrySet().stream()
                .map(entry -> new DocumentWithPosition<>(StoredDocumentType.decode(entry.getValue()), entry.getKey()));
    }

    /** A query no index answers: every document in key order, or the reverse for {@code $natural: -1}, as the library. */
    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        Stream<DocumentWithPosition<Object>> all = streamAllDocumentsWithPosition();
        if (isNaturalDescending(orderBy)) {
            all = all.sorted((left, right) -> ValueComparator.desc().compare(left.getPosition(), right.getPosition()));
        }
        return matchDocumentsFromStream(all.map(DocumentWithPosition::getDocument), query, orderBy, numberToSkip,
                limit, batchSize, fieldSelector);
    }

    /**
     * No running byte count of the documents. The library keeps one for {@code collStats} by encoding every document it
     * adds, updates or removes into BSON once more, only to measure it: in a directory rebuild at a million customers
     * that was 9 % of the query side's samples, and 427 of the 693 samples a replaced version's deletion took
     * (session 21, docs/benchmarks-log.md). Nothing reads it: {@code collStats} reports 0 for a collection created since
     * (and a collection an earlier version wrote keeps the count it had then); the file's size is the
     * {@code crm.readmodel.file.size} gauge.
     */
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    /**
     * A query without the collection's monitor. The library holds it for every query as for every write, so a
     * customer's read waited for a projection's write to the same collection (at 100,000 customers under ingest,
     * 148 waits of 10 ms or more in 3 minutes, up to 299 ms, session 35), and a long scan held up the projections. The
     * query is parsed as the library's own {@code AbstractMongoCollection.handleQuery} does.
     * <p>
     * What a query may see beside a write: every document it reads is one whole version (stored documents are only
     * replaced, see the class), read by id from H2's map, whose reads are safe beside its writes; the library's
     * matcher checks each one against the whole query. A document found by id is always found. A document whose
     * indexed field a write is changing may be missed by a query through that index, or be placed by the value it had
     * when an ordered walk read its entry: a write changes the index entries first and the document after. That is
     * what MongoDB itself promises a query that is not a snapshot (its cursors may miss or repeat a document whose
     * indexed field changes meanwhile). Writes inside the library's update, delete and find-and-modify still call this
     * holding the monitor, so their own queries see no other write.
     */
    @Override
    public QueryResult handleQuery(QueryParameters parameters) {
        Document selector = parameters.getQuerySelector();
        // {query, orderby} or {$query, $orderby} wrap a sorted query; anything else is the query itself.
        String wrapped = selector.containsKey("query") ? "" : selector.containsKey("$query") ? "$" : null;
        Document query = wrapped == null ? selector : (Document) selector.get(wrapped + "query");
        Document orderBy = wrapped == null ? null : (Document) selector.get(wrapped + "orderby");
        return whileIndexesStay(() -> queryDocuments(query, orderBy, parameters.getNumberToSkip(), parameters.getLimit(),
                parameters.getBatchSize(), parameters.getProjection()));
    }

    /** Fills the index while no write runs (the library's own does not hold the monitor) and no query reads the list. */
    @Override
    public void addIndex(Index<Object> index) {
        changingIndexes(() -> super.addIndex(index));
    }

    @Override
    public void dropIndex(String indexName) {
        changingIndexes(() -> super.dropIndex(indexName));
    }

    private <T> T whileIndexesStay(Supplier<T> read) {
        if (Thread.holdsLock(this)) {
            return read.get();
        }
        Lock lock = indexChanges.readLock();
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    private void changingIndexes(Runnable change) {
        Lock lock = indexChanges.writeLock();
        lock.lock();
        try {
            synchronized (this) {
                change.run();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A limited query sorted by an indexed field and the id is answered by walking that index in order
     * ({@link OrderedWalk}) when it can be, unless the index the library would use gives it fewer documents than
     * the walk may read (the members of a small segment: sorting those is cheaper); otherwise, and when the walk
     * gives up, as the library answers it.
     */
    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        long wanted = (long) Math.max(0, numberToSkip) + limit;
        // The order first: most limited queries (a customer's history page) have none to walk, and counting their
        // candidates would read up to a budget of index keys for nothing.
        OrderedWalk walk = limit > 0 && query != null ? OrderedWalk.of(orderBy, getIndexes(),
                () -> streamAllDocumentsWithPosition().map(DocumentWithPosition::getDocument), this) : null;
        if (walk != null && !fewCandidates(query, OrderedWalk.budget(wanted))) {
            List<Document> first = walk.first(query, matcherOf(query), wanted, this::getDocument);
            if (first != null) {
                return handOut(window(first.stream(), numberToSkip, limit), batchSize, fieldSelector);
            }
        }
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /** Whether the index the library would answer the query with gives it fewer than {@code cap} documents. */
    private boolean fewCandidates(Document query, long cap) {
        for (Index<Object> index : getIndexes()) {
            if (index.canHandle(query)) {
                return !(index instanceof EqualityPrefixIndex equality) || equality.candidates(query, cap) < cap;
            }
        }
        return false;
    }

    /**
     * Positions a range of ids gave in ascending order ({@link IdLookupIndex.AscendingIds}) need no sort when the
     * query sorts by {@code _id} ascending: the documents are read and matched only until the limit is reached, so
     * a keyset page costs its own size, not the collection's.
     */
    @Override
    protected QueryResult matchDocuments(Document query, Iterable<Object> positions, Document orderBy, int numberToSkip,
                                         int limit, int batchSize, Document fieldSelector) {
        if (!(positions instanceof IdLookupIndex.AscendingIds) || !sortsByAscendingId(orderBy)) {
            return super.matchDocuments(query, positions, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        Predicate<Document> matches = matcherOf(query);
        Stream<Document> matched = StreamSupport.stream(positions.spliterator(), false).map(this::getDocument)
                .filter(document -> document != null && matches.test(document));
        return handOut(window(matched, numberToSkip, limit), batchSize, fieldSelector);
    }

    /** Every query, update and delete finds its documents here, whether through an index or by a scan. */
    @Override
    protected QueryResult matchDocumentsFromStream(Document query, Stream<Document> documents, int numberToSkip,
                                                   int limit, int batchSize, Comparator<Document> order,
                                                   Document fieldSelector) {
        Stream<Document> matched = documents.filter(matcherOf(query));
        if (order != null && limit > 0) {
            matched = firstInOrder(matched, order, (long) Math.max(0, numberToSkip) + limit);
        } else if (order != null) {
            matched = matched.sorted(order);
        }
        return handOut(window(matched, numberToSkip, limit), batchSize, fieldSelector);
    }

    /**
     * How a document is matched against {@code query}: by the library's matcher, except for a top-level condition
     * {@code field: {$in: [strings]}} ({@code _id} for a batch's states and the segments of the customers a refresh
     * names, {@code customerId} for the segment change log of a page of customers), which the library checks by
     * walking the whole list for every document, hundreds of string comparisons (and a normalised copy of each
     * value) per document found. In a directory rebuild at a million customers that walk was half of the query side's
     * samples (the directory's segment refresh asks for thousands of ids at a time). Here the strings are put in a
     * set once per query; a document whose field holds a string is matched by membership, which is what {@code $in}
     * means for it; any other value (an array, whose elements {@code $in} matches one by one, a number, nothing)
     * goes to the library's matcher with the condition, and the rest of the query, if any, is the library's as well.
     * <p>
     * A matcher of its own per query: the collection's one notes the array position an element matched at, which a
     * positional update ({@code $}) reads back under the monitor, and queries outside it must not overwrite.
     */
    private Predicate<Document> matcherOf(Document query) {
        QueryMatcher matcher = new DefaultQueryMatcher();
        StringsIn in = StringsIn.of(query);
        if (in == null) {
            return document -> matcher.matches(document, query);
        }
        Document condition = new Document(in.field(), query.get(in.field()));
        Predicate<Document> inMatches = document -> document.get(in.field()) instanceof String value
                ? in.values().contains(value)
                : matcher.matches(document, condition);
        Document rest = new Document(query);
        rest.remove(in.field());
        return rest.isEmpty() ? inMatches : inMatches.and(document -> matcher.matches(document, rest));
    }

    /** A top-level {@code field: {$in: [...]}} whose values are all strings, on a field that is not a path. */
    private record StringsIn(String field, Set<String> values) {

        /** The query's condition on {@code _id} if it is one, else its first other such condition, else null. */
        static StringsIn of(Document query) {
            if (query == null) {
                return null;
            }
            StringsIn onId = of(ID, query.get(ID));
            if (onId != null) {
                return onId;
            }
            for (String field : query.keySet()) {
                StringsIn in = field.startsWith("$") || field.contains(".") ? null : of(field, query.get(field));
                if (in != null) {
                    return in;
                }
            }
            return null;
        }

        private static StringsIn of(String field, Object condition) {
            Collection<?> values = EqualityQueries.scalarsIn(condition);
            if (values == null) {
                return null;
            }
            Set<String> strings = new HashSet<>(Math.max(16, values.size() * 2));
            for (Object value : values) {
                if (!(value instanceof String string)) {
                    return null;
                }
                strings.add(string);
            }
            return new StringsIn(field, strings);
        }
    }

    /**
     * The first {@code count} documents in {@code order}, as a stable sort would give them, holding only those: a
     * sorted page over a collection without an index for its order (the customer list by name or value, the access
     * log) otherwise holds every document of the collection while sorting, and at a million customers that did
     * not fit a 1 GiB heap. The scan itself still reads every candidate once.
     */
    static Stream<Document> firstInOrder(Stream<Document> documents, Comparator<Document> order, long count) {
        if (count > Integer.MAX_VALUE) {
            return documents.sorted(order);
        }
        record Seen(Document document, long arrival) {
        }
        Comparator<Seen> stable = Comparator.comparing(Seen::document, order).thenComparingLong(Seen::arrival);
        PriorityQueue<Seen> kept = new PriorityQueue<>((int) Math.min(count, 1024) + 1, stable.reversed());
        long[] arrivals = {0};
        documents.forEachOrdered(document -> {
            Seen seen = new Seen(document, arrivals[0]++);
            if (kept.size() < count) {
                kept.add(seen);
            } else if (order.compare(document, kept.peek().document()) < 0) {
                kept.poll();
                kept.add(seen);
            }
        });
        return kept.stream().sorted(stable).map(Seen::document);
    }

    /**
     * Counts without copying or collecting: the library's count collects every match (copied first, see above)
     * into a list, which for the customers of one segment at a million customers is hundreds of thousands of
     * documents. A string equality on an equality index's field is counted from the index's entries alone;
     * anything else reads its candidates one by one and matches them in place. Like a query, outside the monitor.
     */
    @Override
    public int count(Document query, int numberToSkip, int limit) {
        if (query == null || query.isEmpty()) {
            return super.count(query, numberToSkip, limit);
        }
        Predicate<Document> matches = matcherOf(query);
        long matched = whileIndexesStay(() -> countFromAnIndex(query).orElseGet(() -> candidates(query)
                .filter(document -> document != null && matches.test(document)).count()));
        long afterSkip = Math.max(0, matched - Math.max(0, numberToSkip));
        return (int) (limit > 0 ? Math.min(limit, afterSkip) : afterSkip);
    }

    private OptionalLong countFromAnIndex(Document query) {
        for (Index<Object> index : getIndexes()) {
            if (index instanceof EqualityPrefixIndex equality) {
                OptionalLong count = equality.countMatches(query);
                if (count.isPresent()) {
                    return count;
                }
            }
        }
        return OptionalLong.empty();
    }

    /** The documents an index narrows the query to, or all of them. */
    private Stream<Document> candidates(Document query) {
        for (Index<Object> index : getIndexes()) {
            if (index.canHandle(query)) {
                return StreamSupport.stream(index.getPositions(query).spliterator(), false).map(this::getDocument);
            }
        }
        return streamAllDocumentsWithPosition().map(DocumentWithPosition::getDocument);
    }

    private static Stream<Document> window(Stream<Document> matched, int numberToSkip, int limit) {
        Stream<Document> window = numberToSkip > 0 ? matched.skip(numberToSkip) : matched;
        return limit > 0 ? window.limit(limit) : window;
    }

    /**
     * Hands out the documents found (each decoded for this query alone); the library then selects their fields and
     * keeps a cursor of the rest. They were matched already, so the library is given a query that matches
     * everything: given the query, it matched every document a second time.
     */
    private QueryResult handOut(Stream<Document> documents, int batchSize, Document fieldSelector) {
        return super.matchDocumentsFromStream(new Document(), documents, 0, 0, batchSize, null, fieldSelector);
    }

    private static boolean sortsByAscendingId(Document orderBy) {
        return orderBy != null && orderBy.size() == 1 && orderBy.get("_id") instanceof Number direction
                && direction.intValue() == 1;
    }
}
