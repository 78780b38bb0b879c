package io.crmhistory.embeddedmongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A secondary index for the embedded server, which has none of its own (mongo-java-server 1.47 ignores every
 * non-unique index, so a query by customer scanned the whole collection: seconds per history page). It answers
 * the one question the read models ask of their secondary indexes: the documents whose first indexed field
 * <em>equals</em> a value or one of an {@code $in}'s (at the top of the query or inside an {@code $and}; an array
 * field matches by element, as in MongoDB). The server then applies the whole
 * query to those documents and sorts them, so the rest of the index's keys, ranges and sorts stay correct, only
 * not accelerated. Entries are (value, document id) → position in an H2 map of the same store, committed with the
 * documents; a new index over existing documents is filled by the server when it is added.
 */
final class EqualityPrefixIndex extends Index<Object> {

    private static final String ID = "_id";

    private final String field;
    /** A field at the document's top level, read without the library's path walk (a regex split per call). */
    private final boolean topLevel;
    private final MVMap<KeyValue, Object> entries;
    /** Declared on exactly (field, {@code _id}): an index kept for an order, which an {@link OrderedWalk} may read. */
    private final boolean orderIndex;
    /**
     * For an order index, how many documents hold an array or a sub-document in the field, whose entries are not
     * where an order of the field's values would put them (an array's are its elements, a sub-document's is under
     * null); -1 until known. Known from the start for an index created empty (the server adds every document
     * through {@link #add}), else counted once by {@link #walkable} before the first ordered walk. Kept in memory only;
     * changed by writes under their collection's monitor, read by queries outside it.
     */
    private volatile long nonScalar;

    EqualityPrefixIndex(String name, List<IndexKey> keys, boolean sparse, MVMap<KeyValue, Object> entries) {
        super(name, keys, sparse);
        this.field = keys.get(0).getKey();
        this.topLevel = !field.contains(".");
        this.entries = entries;
        this.orderIndex = topLevel && keys.size() == 2 && ID.equals(keys.get(1).getKey());
        this.nonScalar = entries.isEmpty() ? 0 : -1;
    }

    /**
     * None: the server asks every index where a document it updates is kept and wants one answer, and the
     * {@code _id} index every collection has gives it. Looking the document up here as well cost a B-tree search
     * per secondary index and update (eight for the directory) for the same answer.
     */
    @Override
    public Object getPosition(Document document) {
        return null;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        entryKeys(document).forEach(key -> entries.put(key, position));
        countIn(document, 1);
    }

    /** Every document has an entry (the server asks each index for the position of a document it removes). */
    @Override
    public Object remove(Document document) {
        Object position = null;
        for (KeyValue key : entryKeys(document)) {
            Object removed = entries.remove(key);
            position = removed != null ? removed : position;
        }
        countIn(document, -1);
        return position;
    }

    @Override
    public boolean canHandle(Document query) {
        return wantedValues(query) != null;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        java.util.Set<Object> positions = new java.util.LinkedHashSet<>();
        entriesEqualToAny(wantedValues(query)).forEach(key -> positions.add(entries.get(key)));
        return positions;
    }

    /**
     * The values the query requires the first field to equal: one for an equality, each of an {@code $in} of
     * scalars (the segment change log asked by a page of customers), or {@code null}. Without the {@code $in}, the
     * server scanned the whole collection and matched every document against the whole list: the reconcile pass
     * after a segment rebuild asked the log (2.6M changes) for a page of customers at a time, which at a million
     * customers held one of the server's two workers for hours (session 31).
     */
    private Collection<?> wantedValues(Document query) {
        Object value = EqualityQueries.scalarEquality(query, field);
        return value != null ? List.of(value) : EqualityQueries.inValues(query, field);
    }

    /**
     * How many documents a query matches, when the entries alone tell: the query is exactly one string equality on
     * this index's first field, so each entry under that value is one matching document (numbers are left to the
     * matcher, whose notion of equal numbers need not be the entries' order). Empty otherwise.
     */
    java.util.OptionalLong countMatches(Document query) {
        if (query.size() != 1 || !(query.get(field) instanceof String value)) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(entriesEqualTo(value).count());
    }

    /** How many documents this index would give the query, counted up to {@code cap} (keys only, no document read). */
    long candidates(Document query, long cap) {
        return entriesEqualToAny(wantedValues(query)).limit(cap).count();
    }

    /** The entries whose value is one of {@code values}, value by value. */
    private Stream<KeyValue> entriesEqualToAny(Collection<?> values) {
        return values.stream().map(EqualityPrefixIndex::normalized).distinct().flatMap(this::entriesEqualTo);
    }

    /** The entries whose value is {@code value}: one per document, in document-id order. */
    private java.util.stream.Stream<KeyValue> entriesEqualTo(Object value) {
        Object wanted = normalized(value);
        Iterator<KeyValue> keys = entries.keyIterator(new KeyValue(wanted));
        return java.util.stream.StreamSupport.stream(
                        java.util.Spliterators.spliteratorUnknownSize(keys, java.util.Spliterator.ORDERED), false)
                .takeWhile(key -> java.util.Objects.equals(normalized(key.get(0)), wanted));
    }

    /** The indexed field (its first): what an {@link OrderedWalk} orders by. */
    String field() {
        return field;
    }

    /**
     * Whether the entries are every document in the order of its value, so that an ordered walk may read them: only
     * for an order index on a top-level field, not a sparse one (it leaves documents out), and not while a document
     * holds an array or a sub-document in the field. {@code documents} are the collection's, read once to count
     * those when the index was opened with entries; {@code writers} is the monitor its writes hold, held for that
     * count so that it is of one state, which every later write then adjusts (a write beside it could be missed by
     * both: by the count, and by {@link #countIn}, which counts only once the count is known).
     */
    boolean walkable(Supplier<Stream<Document>> documents, Object writers) {
        if (!orderIndex || isSparse()) {
            return false;
        }
        if (nonScalar < 0) {
            synchronized (writers) {
                if (nonScalar < 0) {
                    nonScalar = documents.get().filter(this::isNonScalar).count();
                }
            }
        }
        return nonScalar == 0;
    }

    private void countIn(Document document, int change) {
        if (orderIndex && nonScalar >= 0 && isNonScalar(document)) {
            nonScalar += change;
        }
    }

    private boolean isNonScalar(Document document) {
        Object value = document.getOrMissing(field);
        return value instanceof Collection<?> || value instanceof Document;
    }

    /** The entries from {@code from} on (from the first, or the last when {@code reverse}, if {@code null}). */
    org.h2.mvstore.Cursor<KeyValue, Object> cursor(KeyValue from, boolean reverse) {
        return entries.cursor(from, null, reverse);
    }

    @Override
    public long getCount() {
        return entries.sizeAsLong();
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position,
                              MongoCollection<Object> collection) {
        countIn(oldDocument, -1);
        countIn(newDocument, 1);
        List<KeyValue> before = entryKeys(oldDocument);
        List<KeyValue> after = entryKeys(newDocument);
        if (before.equals(after)) {
            return;
        }
        before.forEach(entries::remove);
        after.forEach(key -> entries.put(key, position));
    }

    /**
     * Nothing to do here, as for the library's unique indexes: the map goes with the database's drop of the index,
     * which hands it to {@link DroppedMaps} (clearing it here would do within the command what they do outside).
     */
    @Override
    public void drop() {
    }

    /**
     * The document's entries: one per value of the field (each element of an array, as MongoDB's multikey
     * indexes have it), or one under {@code null} when it has none, so every document can be found again.
     */
    private List<KeyValue> entryKeys(Document document) {
        Object id = normalized(document.get(ID));
        // The same value (or Missing) as the library's path walk, which split the field name with a regular
        // expression for each of the two documents of every update and each index: 8 % of the query side's
        // samples in a directory rebuild (eight indexes).
        Object value = topLevel ? document.getOrMissing(field) : Utils.getSubdocumentValue(document, field);
        List<KeyValue> keys = new ArrayList<>();
        if (value instanceof Collection<?> elements) {
            elements.stream().filter(EqualityQueries::isScalar).map(EqualityPrefixIndex::normalized).distinct()
                    .forEach(element -> keys.add(new KeyValue(element, id)));
        } else if (EqualityQueries.isScalar(value)) {
            keys.add(new KeyValue(normalized(value), id));
        }
        if (keys.isEmpty()) {
            keys.add(new KeyValue(null, id));
        }
        return keys;
    }

    /** The library's normal form of an index value (numbers as doubles, say); a string is its own. */
    private static Object normalized(Object value) {
        return value instanceof String ? value : new KeyValue(value).normalized().get(0);
    }
}
