package io.crmhistory.query.directory;

import io.crmhistory.query.projection.MongoStateStore;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelStore;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Query;

import java.util.List;
import java.util.Optional;

/** One version of the directory's collection, indexed for every listing order. */
final class DirectoryStore implements ReadModelStore {

    static final String COLLECTION = "directory_customers";
    static final String SEGMENT = "segment";

    private final MongoTemplate mongo;
    private final String collection;
    private final MongoStateStore<DirectoryState> states;

    DirectoryStore(MongoTemplate mongo, ProjectionVersion version) {
        this.mongo = mongo;
        this.collection = version.collection(COLLECTION);
        this.states = new MongoStateStore<>(mongo, DirectoryState.class, collection);
        for (CustomerSort.Field field : CustomerSort.Field.values()) {
            mongo.indexOps(collection).createIndex(new Index().on(field.documentField(), Sort.Direction.ASC)
                    .on("_id", Sort.Direction.ASC));
        }
        mongo.indexOps(collection).createIndex(new Index().on("status", Sort.Direction.ASC));
        mongo.indexOps(collection).createIndex(new Index().on(SEGMENT, Sort.Direction.ASC));
    }

    MongoStateStore<DirectoryState> states() {
        return states;
    }

    Optional<DirectoryState> find(String customerId) {
        return states.find(customerId);
    }

    List<DirectoryState> find(Query query) {
        return mongo.find(query, DirectoryState.class, collection);
    }

    BulkOperations bulk() {
        return mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, DirectoryState.class, collection);
    }

    @Override
    public List<String> collections() {
        return List.of(collection);
    }
}
