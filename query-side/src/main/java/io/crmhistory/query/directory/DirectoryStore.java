package io.crmhistory.query.directory;

import io.crmhistory.query.projection.MongoStateStore;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** The directory's collection, indexed for every listing order. */
@Component
class DirectoryStore {

    static final String COLLECTION = "directory_customers";

    private final MongoTemplate mongo;
    private final MongoStateStore<DirectoryState> states;

    DirectoryStore(MongoTemplate mongo) {
        this.mongo = mongo;
        this.states = new MongoStateStore<>(mongo, DirectoryState.class, COLLECTION);
        for (CustomerSort.Field field : CustomerSort.Field.values()) {
            mongo.indexOps(COLLECTION).createIndex(new Index().on(field.documentField(), Sort.Direction.ASC)
                    .on("_id", Sort.Direction.ASC));
        }
        mongo.indexOps(COLLECTION).createIndex(new Index().on("status", Sort.Direction.ASC));
    }

    MongoStateStore<DirectoryState> states() {
        return states;
    }

    Optional<DirectoryState> find(String customerId) {
        return states.find(customerId);
    }

    List<DirectoryState> find(Query query) {
        return mongo.find(query, DirectoryState.class, COLLECTION);
    }
}
