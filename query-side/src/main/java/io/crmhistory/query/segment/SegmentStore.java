package io.crmhistory.query.segment;

import io.crmhistory.query.projection.MongoStateStore;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** The segment read model's collections: customers' states, and their segment changes. */
@Component
class SegmentStore {

    static final String COLLECTION = "segment_customers";
    static final String CHANGES = "segment_changes";
    static final String SEGMENT_FIELD = "assessment.segment";

    private final MongoTemplate mongo;
    private final MongoStateStore<SegmentState> states;

    SegmentStore(MongoTemplate mongo) {
        this.mongo = mongo;
        this.states = new MongoStateStore<>(mongo, SegmentState.class, COLLECTION, CHANGES,
                document -> ((SegmentChange) document).id());
        mongo.indexOps(COLLECTION).createIndex(new Index().on(SEGMENT_FIELD, Sort.Direction.ASC));
        mongo.indexOps(CHANGES).createIndex(new Index().on("customerId", Sort.Direction.ASC)
                .on("occurredAt", Sort.Direction.ASC).on("_id", Sort.Direction.ASC));
    }

    MongoStateStore<SegmentState> states() {
        return states;
    }

    Optional<SegmentState> find(String customerId) {
        return states.find(customerId);
    }

    /** A page of every customer's state in id order, after {@code afterId} ({@code null} for the first page). */
    List<SegmentState> page(String afterId, int size) {
        Query query = afterId == null ? new Query() : Query.query(Criteria.where("_id").gt(afterId));
        return mongo.find(query.with(Sort.by("_id")).limit(size), SegmentState.class, COLLECTION);
    }

    MongoTemplate mongo() {
        return mongo;
    }
}
