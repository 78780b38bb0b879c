package io.crmhistory.query.ops;

import io.crmhistory.embeddedmongo.ReadModelBackend;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Drops the collections of a retired read-model version. On MongoDB a drop is a change of the catalog. The embedded
 * server drops a collection by clearing its maps (documents and each index) in one command, and answers nothing else
 * meanwhile: after a history rebuild at a million customers (10.8 million timeline items) that held the server for
 * about two minutes, its connection monitor timed out, the driver took the server for gone and
 * every read of the query side waited (session 19, docs/benchmarks.md). There the documents are deleted a page at a
 * time first, each page a short command between which every other command is served, and the emptied collection is
 * dropped after them.
 */
@Component
class RetiredCollections {

    private static final int PAGE = 5_000;

    private final MongoTemplate mongo;
    private final boolean embedded;
    private final int page;

    @Autowired
    RetiredCollections(MongoTemplate mongo, ObjectProvider<ReadModelBackend> embeddedBackend) {
        this(mongo, embeddedBackend.getIfAvailable() != null, PAGE);
    }

    RetiredCollections(MongoTemplate mongo, boolean embedded, int page) {
        this.mongo = mongo;
        this.embedded = embedded;
        this.page = page;
    }

    void drop(String collection) {
        if (embedded) {
            emptyInPages(collection);
        }
        mongo.dropCollection(collection);
    }

    /**
     * Deletes the documents with string ids (every read model's) page by page in id order; pages are read from the
     * {@code _id} index from {@code ""} on, so each costs its own size. Any other document goes with the drop.
     */
    void emptyInPages(String collection) {
        List<Object> ids;
        do {
            Query next = Query.query(Criteria.where("_id").gte("")).with(Sort.by("_id")).limit(page);
            next.fields().include("_id");
            ids = mongo.find(next, org.bson.Document.class, collection).stream().map(document -> document.get("_id"))
                    .toList();
            // A page that deletes nothing would be read again for ever: the drop then takes the rest at once.
            if (ids.isEmpty() || mongo.remove(Query.query(Criteria.where("_id").in(ids)), collection)
                    .getDeletedCount() == 0) {
                return;
            }
        } while (ids.size() == page);
    }
}
