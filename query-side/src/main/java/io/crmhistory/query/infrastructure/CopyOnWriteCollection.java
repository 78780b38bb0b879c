package io.crmhistory.query.infrastructure;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The library's H2 collection, except that every document a query finds is handed on as a copy. The library
 * updates the document an update's query found in place and only then puts it back, while the documents a find
 * returns are encoded into the reply after the collection's lock is left: a reply could be encoded while an update
 * changed its document (seen at 100,000 customers as a {@code ConcurrentModificationException} in the server's reply
 * encoder, the directory projection reading states while the segment sync and the forecast refresh wrote), and a
 * reader could get a document half old, half new. With copies, a stored document is never changed, only replaced,
 * so every reader holds one whole version of it. Only the documents a query matched are copied.
 */
final class CopyOnWriteCollection extends H2Collection {

    CopyOnWriteCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                          MVMap<Object, Document> documents, MVMap<String, Object> meta, CursorRegistry cursors) {
        super(database, collectionName, options, documents, meta, cursors);
    }

    /** Every query, update and delete finds its documents here, whether through an index or by a scan. */
    @Override
    protected QueryResult matchDocumentsFromStream(Document query, Stream<Document> documents, int numberToSkip,
                                                   int limit, int batchSize, Comparator<Document> order,
                                                   Document fieldSelector) {
        Stream<Document> copies = documents.filter(document -> documentMatchesQuery(document, query))
                .map(Document::cloneDeeply);
        return super.matchDocumentsFromStream(query, copies, numberToSkip, limit, batchSize, order, fieldSelector);
    }
}
