package io.crmhistory.query.segment;

import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.MongoStateStore;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelStore;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.ReplaceOptions;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One version of the segment read model's collections: customers' states, their segment changes, the
 * rules the version has seen published and its last re-evaluation of every customer.
 */
final class SegmentStore implements ReadModelStore {

    static final String COLLECTION = "segment_customers";
    static final String CHANGES = "segment_changes";
    static final String REEVALUATIONS = "segment_reevaluation";
    static final String SEGMENT_FIELD = "assessment.segment";

    private final MongoTemplate mongo;
    private final String collection;
    private final String changes;
    private final String reevaluations;
    private final MongoStateStore<SegmentState> states;
    private final RuleBook ruleBook;

    SegmentStore(MongoTemplate mongo, ProjectionVersion version, FxRates fx, SegmentForecaster forecaster) {
        this.mongo = mongo;
        this.collection = version.collection(COLLECTION);
        this.changes = version.collection(CHANGES);
        this.reevaluations = version.collection(REEVALUATIONS);
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

    /** The last re-evaluation of every customer, finished or not ({@link ReevaluationRun#NONE} before any). */
    ReevaluationRun lastReevaluation() {
        ReevaluationRun last = mongo.findById(ReevaluationRun.ID, ReevaluationRun.class, reevaluations);
        return last == null ? ReevaluationRun.NONE : last;
    }

    /**
     * Stores {@code run} as the last re-evaluation if no other instance is running one: the last one finished, or
     * is {@code run}'s owner's, or its heartbeat is older than {@code staleBefore}. One conditional replace, so of
     * two instances claiming at once only one gets it (the other's upsert collides on the id).
     *
     * @return whether {@code run} is now the last re-evaluation
     */
    boolean claim(ReevaluationRun run, Instant staleBefore) {
        Criteria free = new Criteria().orOperator(Criteria.where("finishedAt").ne(null),
                Criteria.where("owner").is(run.owner()), Criteria.where("heartbeatAt").lt(staleBefore));
        try {
            mongo.replace(Query.query(new Criteria().andOperator(Criteria.where("_id").is(ReevaluationRun.ID), free)),
                    run, ReplaceOptions.replaceOptions().upsert(), reevaluations);
            return true;
        } catch (DuplicateKeyException claimedElsewhere) {
            return false;
        }
    }

    /** @return whether {@code run} was stored: false if another instance has taken the run over */
    boolean save(ReevaluationRun run) {
        return mongo.replace(Query.query(Criteria.where("_id").is(ReevaluationRun.ID).and("owner").is(run.owner())),
                run, reevaluations).getMatchedCount() == 1;
    }

    /** Deletes these segment changes: recorded for a move that a concurrent write then did not let happen. */
    void withdrawChanges(List<String> ids) {
        if (!ids.isEmpty()) {
            mongo.remove(Query.query(Criteria.where("_id").in(ids)), changes);
        }
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
        return List.of(collection, changes, ruleBook.collection(), reevaluations);
    }
}
