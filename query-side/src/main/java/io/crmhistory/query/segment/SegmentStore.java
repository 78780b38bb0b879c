package io.crmhistory.query.segment;

import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.MongoStateStore;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelStore;
import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;

import java.util.List;
import java.util.Optional;

/**
 * One version of the segment read model's collections: customers' states, their segment changes, and the
 * rules the version has seen published.
 */
final class SegmentStore implements ReadModelStore {

    static final String COLLECTION = "segment_customers";
    static final String CHANGES = "segment_changes";
    static final String SEGMENT_FIELD = "assessment.segment";

    private final MongoTemplate mongo;
    private final String collection;
    private final String changes;
    private final MongoStateStore<SegmentState> states;
    private final RuleBook ruleBook;

    SegmentStore(MongoTemplate mongo, ProjectionVersion version, FxRates fx, SegmentForecaster forecaster) {
        this.mongo = mongo;
        this.collection = version.collection(COLLECTION);
        this.changes = version.collection(CHANGES);
        this.states = new MongoStateStore<>(mongo, SegmentState.class, collection, changes,
                document -> ((SegmentChange) document).id());
        this.ruleBook = new RuleBook(mongo, version.collection(RuleBook.COLLECTION), fx, forecaster);
        mongo.indexOps(collection).createIndex(new Index().on(SEGMENT_FIELD, Sort.Direction.ASC));
        mongo.indexOps(changes).createIndex(new Index().on("customerId", Sort.Direction.ASC)
                .on("occurredAt", Sort.Direction.ASC).on("_id", Sort.Direction.ASC));
    }

    MongoStateStore<SegmentState> states() {
        return states;
    }

    RuleBook ruleBook() {
        return ruleBook;
    }

    Optional<SegmentState> find(String customerId) {
        return states.find(customerId);
    }

    /** A page of every customer's state in id order, after {@code afterId} ({@code null} for the first page). */
    List<SegmentState> page(String afterId, int size) {
        return states.page(afterId, size);
    }

    /**
     * The customers now in {@code segment}, by MongoDB's {@code count} command, which the index on the segment
     * answers from its keys. A {@code $group} over the collection (and the driver's {@code countDocuments}, an
     * aggregation too) reads every document instead, and the embedded server materialises them all in memory: at a
     * million customers that ran the query side out of its 1 GiB heap.
     */
    long countIn(String segment) {
        Document reply = mongo.executeCommand(new Document("count", collection)
                .append("query", new Document(SEGMENT_FIELD, segment)));
        return ((Number) reply.get("n")).longValue();
    }

    long count() {
        return mongo.estimatedCount(collection);
    }

    MongoTemplate mongo() {
        return mongo;
    }

    String collection() {
        return collection;
    }

    String changes() {
        return changes;
    }

    @Override
    public List<String> collections() {
        return List.of(collection, changes, ruleBook.collection());
    }
}
