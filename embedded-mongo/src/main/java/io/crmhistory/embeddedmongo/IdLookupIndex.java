package io.crmhistory.embeddedmongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.DuplicateKeyError;
import de.bwaldvogel.mongo.exception.KeyConstraintError;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@code _id} index of the embedded store, also used for a query that asks for one {@code _id} (or a list,
 * {@code $in}) <em>and</em> more (a conditional update: this customer, if still at the sequence read; a page of a
 * segment's members in some order). The library's unique index only
 * takes a query on its keys alone, so such an update scanned the whole collection: re-evaluating 23,570
 * customers took minutes. The document found by id is then matched against the whole query by the server, as
 * for any index. It also walks a range of ids in order ({@code _id > last}: the keyset pages of a re-evaluation of
 * everyone), which the library answered by reading, matching and sorting the whole collection for every page.
 * Everything else is the library's index.
 * <p>
 * Lookups by id, by a list of ids and by a range of ids read the index's map directly rather than through the
 * library's index, whose {@code canHandle} and {@code getPositions} are {@code synchronized} like its writes, and a
 * query on other fields is refused without asking it: queries run outside the collection's monitor
 * ({@link ReadModelCollection#handleQuery}) and every one is offered to this index first, so each waited there for
 * any write's index update, and every write for a query looking up thousands of ids (24 waits of 10 ms or more
 * in 6 minutes of reads, alone and under ingest, at 100,000 customers, up to 31 ms, session 36). H2's map is safe to
 * read beside its writes.
 * <p>
 * <b>A string id is its own entry</b>: the collection's document map is keyed by the id and holds the document at
 * the position the library's entry would name (the id itself), and orders string keys as MongoDB does, so it answers
 * for them and no entry is written. The library kept a second map of the same ids: every insert searched both trees
 * three times in all (the index's check and entry were 27 % of the embedded server's insert samples in a history
 * rebuild, docs/benchmarks-log.md session 66) and every commit wrote the second's changed pages too. The read models'
 * ids are all strings. Entries a file written before holds for string ids are never read again (the document map
 * answers for them) and go with their collection.
 * <p>
 * Other ids keep the library's entries (normalized id → position, in the same map, where {@code 1} and {@code 1.0}
 * are one id) without its key walk: the library computes a document's keys by splitting each key's path with a
 * regular expression and a few streams, twice per insert and four times per replacement, which was a fifth of the
 * embedded server's write thread's CPU and 4.8 of the 51 GB a history rebuild allocated at 100,000 customers
 * (docs/benchmarks-log.md, session 50). The id is a top-level field; an array id (which MongoDB refuses and the
 * library multiplies out) is left to the library. Writes run under their collection's monitor, as the library's did.
 * <p>
 * A query on the id in another form (a regular expression, a document as the id, an {@code $in} of documents) is not
 * taken: the library's index would answer it from its entries alone, which lack the string ids, so the server
 * matches it on every document instead.
 */
final class IdLookupIndex extends Index<Object> {

    private static final String ID = "_id";

    private final Index<Object> ids;
    private final MVMap<KeyValue, Object> entries;
    private final MVMap<Object, byte[]> documents;

    /**
     * @param entries   the map {@code ids} keeps its entries in: (normalized id) → position, in value order
     * @param documents the collection's documents by id, which answers for string ids
     */
    IdLookupIndex(Index<Object> ids, String name, List<IndexKey> keys, boolean sparse, MVMap<KeyValue, Object> entries,
                  MVMap<Object, byte[]> documents) {
        super(name, keys, sparse);
        this.ids = ids;
        this.entries = entries;
        this.documents = documents;
    }

    /** Every query is offered to this index first; one on other fields is refused without the library's monitor. */
    @Override
    public boolean canHandle(Document query) {
        return EqualityQueries.scalarEquality(query, ID) != null || EqualityQueries.inValues(query, ID) != null
                || EqualityQueries.rangeBounds(query, ID) != null;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        Object id = EqualityQueries.scalarEquality(query, ID);
        if (id != null) {
            Object position = positionOf(id);
            return position == null ? List.of() : List.of(position);
        }
        Collection<?> listed = EqualityQueries.inValues(query, ID);
        if (listed != null) {
            return positionsOf(listed);
        }
        Document range = EqualityQueries.rangeBounds(query, ID);
        if (range == null) {
            throw new IllegalArgumentException("not a query this index takes: " + query);
        }
        return new AscendingIds(() -> positionsWithin(range));
    }

    /**
     * Where the document with this id is stored, or null: a string id is its own position in the document map; the
     * library keys its entries by the normalized id.
     */
    private Object positionOf(Object id) {
        if (id instanceof String) {
            return documents.containsKey(id) ? id : null;
        }
        return entries.get(keyOf(id));
    }

    /** The positions of the listed ids that are stored, in ascending order of the ids as the library gives them. */
    private List<Object> positionsOf(Collection<?> listed) {
        Collection<Object> ascending = new TreeSet<>(ValueComparator.asc());
        ascending.addAll(listed);
        List<Object> positions = new ArrayList<>(ascending.size());
        for (Object id : ascending) {
            Object position = positionOf(id);
            if (position != null) {
                positions.add(position);
            }
        }
        return positions;
    }

    /**
     * The positions of the documents whose id lies within the bounds, lazily and in ascending order of ids, so a page
     * ({@code _id > last}, sorted by {@code _id}, limited) reads only what it returns ({@link ReadModelCollection}).
     * A range with a string bound walks the string keys of the document map (MongoDB compares a string only with
     * strings); any other the library's entries, past the string ids a file written before may hold there. Ids of
     * other types than the bounds' may come along; the server matches the whole query on each document.
     */
    private Iterator<Object> positionsWithin(Document range) {
        Object lower = range.containsKey("$gt") ? range.get("$gt") : range.get("$gte");
        Object upper = range.containsKey("$lt") ? range.get("$lt") : range.get("$lte");
        boolean strings = lower instanceof String || upper instanceof String;
        // A string id is its own position; the empty string is the first string key.
        Cursor<Object, byte[]> stringIds = strings ? documents.cursor(lower instanceof String ? lower : "") : null;
        Cursor<KeyValue, Object> otherIds = strings ? null : entries.cursor(lower == null ? null : keyOf(lower));
        return new Iterator<>() {
            private Object next = advance();

            /** The position of the next id within the bounds, or null past the upper one. */
            private Object advance() {
                while (strings ? stringIds.hasNext() : otherIds.hasNext()) {
                    Object id = strings ? stringIds.next() : otherIds.next().get(0);
                    if (strings && !(id instanceof String)) {
                        return null;
                    }
                    if (!strings && id instanceof String || range.containsKey("$gt")
                            && ValueComparator.asc().compare(id, lower) == 0) {
                        continue;
                    }
                    int toUpper = upper == null ? -1 : ValueComparator.asc().compare(id, upper);
                    boolean within = toUpper < 0 || (toUpper == 0 && range.containsKey("$lte"));
                    return !within ? null : strings ? id : otherIds.getValue();
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Object next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                Object position = next;
                next = advance();
                return position;
            }
        };
    }

    /** Positions in ascending order of the documents' ids, which a sort by {@code _id} may take as they come. */
    record AscendingIds(Iterable<Object> positions) implements Iterable<Object> {

        @Override
        public Iterator<Object> iterator() {
            return positions.iterator();
        }
    }

    /** The library's index, which keeps the entries of array ids (the library's multiplied out) under its monitor. */
    Index<Object> library() {
        return ids;
    }

    /** The entry key of the document's id as the library makes it, or null for an array id. */
    private static KeyValue entryKey(Document document) {
        Object id = document.getOrMissing(ID);
        return id instanceof Collection ? null : keyOf(id);
    }

    /**
     * The library's entry key of an id: its normalized value. A string is its own (the read models' ids are strings),
     * and normalizing copies the key twice through a stream.
     */
    private static KeyValue keyOf(Object id) {
        return id instanceof String ? new KeyValue(id) : new KeyValue(id).normalized();
    }

    @Override
    public Object getPosition(Document document) {
        if (document.get(ID) instanceof String id) {
            return positionOf(id);
        }
        KeyValue key = entryKey(document);
        return key == null ? ids.getPosition(document) : entries.get(key);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        if (document.get(ID) instanceof String id) {
            if (documents.containsKey(id)) {
                throw duplicate(document, collection);
            }
            return;
        }
        KeyValue key = entryKey(document);
        if (key == null) {
            ids.checkAdd(document, collection);
        } else if (entries.containsKey(key)) {
            throw duplicate(document, collection);
        }
    }

    /** Nothing for a string id: the document stored at it is the entry. */
    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        if (document.get(ID) instanceof String) {
            return;
        }
        KeyValue key = entryKey(document);
        if (key == null) {
            ids.add(document, position, collection);
            return;
        }
        if (entries.putIfAbsent(key, Missing.ofNullable(position)) != null) {
            throw duplicate(document, collection);
        }
    }

    /** MongoDB's duplicate-key error for this document's id, as the library words it. */
    private DuplicateKeyError duplicate(Document document, MongoCollection<Object> collection) {
        return new DuplicateKeyError(this, collection, getKeys(), new KeyValue(document.getOrMissing(ID)));
    }

    /** The document's position; for a string id the collection then removes the document, and with it the entry. */
    @Override
    public Object remove(Document document) {
        if (document.get(ID) instanceof String id) {
            return positionOf(id);
        }
        KeyValue key = entryKey(document);
        return key == null ? ids.remove(document) : entries.remove(key);
    }

    /** Every document has an id: one entry each (the library's count would miss the string ids). */
    @Override
    public long getCount() {
        return documents.sizeAsLong();
    }

    @Override
    public long getDataSize() {
        return ids.getDataSize();
    }

    /** A replacement keeps its id (the server refuses to change one): nothing to check or move then. */
    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        if (!sameId(oldDocument, newDocument)) {
            ids.checkUpdate(oldDocument, newDocument, collection);
        }
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position,
                              MongoCollection<Object> collection) throws KeyConstraintError {
        if (!sameId(oldDocument, newDocument)) {
            ids.updateInPlace(oldDocument, newDocument, position, collection);
        }
    }

    private static boolean sameId(Document oldDocument, Document newDocument) {
        KeyValue oldKey = entryKey(oldDocument);
        return oldKey != null && oldKey.equals(entryKey(newDocument));
    }

    @Override
    public void drop() {
        ids.drop();
    }

    @Override
    public boolean isUnique() {
        return true;
    }
}
