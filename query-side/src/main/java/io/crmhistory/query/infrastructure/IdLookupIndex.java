package io.crmhistory.query.infrastructure;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.KeyConstraintError;

import java.util.List;

/**
 * The {@code _id} index of the embedded store, also used for a query that asks for one {@code _id} (or a list,
 * {@code $in}) <em>and</em> more (a conditional update: this customer, if still at the sequence read; a page of a
 * segment's members in some order). The library's unique index only
 * takes a query on its keys alone, so such an update scanned the whole collection: re-evaluating 23,570
 * customers took minutes. The document found by id is then matched against the whole query by the server, as
 * for any index. Everything else is the library's index.
 */
final class IdLookupIndex extends Index<Object> {

    private static final String ID = "_id";

    private final Index<Object> ids;

    IdLookupIndex(Index<Object> ids, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.ids = ids;
    }

    @Override
    public boolean canHandle(Document query) {
        return ids.canHandle(query) || EqualityQueries.scalarEquality(query, ID) != null
                || EqualityQueries.inValues(query, ID) != null;
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
        java.util.Set<Object> positions = new java.util.LinkedHashSet<>();
        for (Object each : EqualityQueries.inValues(query, ID)) {
            ids.getPositions(new Document(ID, each)).forEach(positions::add);
        }
        return positions;
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
