package io.crmhistory.embeddedmongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.KeyConstraintError;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

import java.util.Iterator;
import java.util.List;

/**
 * The {@code _id} index of the embedded store, also used for a query that asks for one {@code _id} (or a list,
 * {@code $in}) <em>and</em> more (a conditional update: this customer, if still at the sequence read; a page of a
 * segment's members in some order). The library's unique index only
 * takes a query on its keys alone, so such an update scanned the whole collection: re-evaluating 23,570
 * customers took minutes. The document found by id is then matched against the whole query by the server, as
 * for any index. It also walks a range of ids in order ({@code _id > last}: the keyset pages of a re-evaluation of
 * everyone), which the library answered by reading, matching and sorting the whole collection for every page.
 * Everything else is the library's index.
 */
final class IdLookupIndex extends Index<Object> {

    private static final String ID = "_id";

    private final Index<Object> ids;
    private final MVMap<KeyValue, Object> entries;

    /** @param entries the map {@code ids} keeps its entries in: (normalized id) → position, in value order */
    IdLookupIndex(Index<Object> ids, String name, List<IndexKey> keys, boolean sparse, MVMap<KeyValue, Object> entries) {
        super(name, keys, sparse);
        this.ids = ids;
        this.entries = entries;
    }

    @Override
    public boolean canHandle(Document query) {
        return ids.canHandle(query) || EqualityQueries.scalarEquality(query, ID) != null
                || EqualityQueries.inValues(query, ID) != null || EqualityQueries.rangeBounds(query, ID) != null;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        if (ids.canHandle(query)) {
            return ids.getPositions(query);
        }
        Object id = EqualityQueries.scalarEquality(query, ID);
        if (id != null) {
            return ids.getPositions(new Document(ID, id));
        }
        Document range = EqualityQueries.rangeBounds(query, ID);
        if (range != null) {
            return new AscendingIds(() -> positionsWithin(range));
        }
        java.util.Set<Object> positions = new java.util.LinkedHashSet<>();
        for (Object each : EqualityQueries.inValues(query, ID)) {
            ids.getPositions(new Document(ID, each)).forEach(positions::add);
        }
        return positions;
    }

    /**
     * The positions of the documents whose id lies within the bounds, lazily and in ascending order of ids, so a page
     * ({@code _id > last}, sorted by {@code _id}, limited) reads only what it returns ({@link CopyOnWriteCollection}).
     * Ids of other types than the bounds' may come along; the server matches the whole query on each document.
     */
    private Iterator<Object> positionsWithin(Document range) {
        Object lower = range.containsKey("$gt") ? range.get("$gt") : range.get("$gte");
        Object upper = range.containsKey("$lt") ? range.get("$lt") : range.get("$lte");
        Cursor<KeyValue, Object> entry = entries.cursor(lower == null ? null : new KeyValue(lower).normalized());
        return new Iterator<>() {
            private Object next = advance();

            /** The position of the next id within the bounds, or null past the upper one. */
            private Object advance() {
                while (entry.hasNext()) {
                    Object id = entry.next().get(0);
                    if (range.containsKey("$gt") && ValueComparator.asc().compare(id, lower) == 0) {
                        continue;
                    }
                    int toUpper = upper == null ? -1 : ValueComparator.asc().compare(id, upper);
                    return toUpper < 0 || (toUpper == 0 && range.containsKey("$lte")) ? entry.getValue() : null;
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

    @Override
    public Object getPosition(Document document) {
        return ids.getPosition(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        ids.checkAdd(document, collection);
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        ids.add(document, position, collection);
    }

    @Override
    public Object remove(Document document) {
        return ids.remove(document);
    }

    @Override
    public long getCount() {
        return ids.getCount();
    }

    @Override
    public long getDataSize() {
        return ids.getDataSize();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        ids.checkUpdate(oldDocument, newDocument, collection);
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position,
                              MongoCollection<Object> collection) throws KeyConstraintError {
        ids.updateInPlace(oldDocument, newDocument, position, collection);
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
