package io.crmhistory.query.segment;

import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.MongoStateStore;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelStore;
import io.crmhistory.query.projection.SideDocuments;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.ReplaceOptions;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One version of the segment read model's collections: customers' states, the rules the version has seen published
 * and its last re-evaluation of every customer; and the segment change log, which is not a version's but the read
 * model's ({@link #CHANGE_LOG}): what was recorded when stays through rebuilds. Only the live version writes to it
 * ({@link #logsChanges()}).
 */
final class SegmentStore implements ReadModelStore {

    static final String COLLECTION = "segment_customers";
    /** The segment changes of every version: the live one writes them. */
    static final String CHANGE_LOG = "segment_change_log";
    /** Where a version kept its own changes before the log was the read model's; carried into the log once. */
    static final String LEGACY_CHANGES = "segment_changes";
    /** The id of the mark, among the version's re-evaluation documents, that its legacy changes are in the log. */
    private static final String LEGACY_CARRIED = "legacy-changes-carried";
    private static final int CARRY_PAGE = 1000;
    static final String REEVALUATIONS = "segment_reevaluation";
    static final String SEGMENT_FIELD = "assessment.segment";

    private final MongoTemplate mongo;
    private final String collection;
    private final String legacyChanges;
    private final String reevaluations;
    private final MongoStateStore<SegmentState> states;
    private final RuleBook ruleBook;
    private final ProjectionVersion version;
    private final BooleanSupplier logs;
    /** Set once this version's legacy changes are marked carried, so the periodic check stops asking the store. */
    private volatile boolean legacyCarried;

    /** @param logs whether {@code version} writes the change log now (see {@link #logsChanges()}) */
    SegmentStore(MongoTemplate mongo, ProjectionVersion version, FxRates fx, SegmentForecaster forecaster,
                 BooleanSupplier logs) {
        this.mongo = mongo;
        this.version = version;
        this.logs = logs;
        this.collection = version.collection(COLLECTION);
        this.legacyChanges = version.collection(LEGACY_CHANGES);
        this.reevaluations = version.collection(REEVALUATIONS);
        this.states = new MongoStateStore<>(mongo, SegmentState.class, collection,
                SideDocuments.of(mongo, CHANGE_LOG, SegmentChange.class, SegmentChange::id));
        this.ruleBook = new RuleBook(mongo, version.collection(RuleBook.COLLECTION), fx, forecaster);
        mongo.indexOps(collection).createIndex(new Index().on(SEGMENT_FIELD, Sort.Direction.ASC));
        mongo.indexOps(CHANGE_LOG).createIndex(new Index().on("customerId", Sort.Direction.ASC)
                .on("occurredAt", Sort.Direction.ASC).on("_id", Sort.Direction.ASC));
    }

    ProjectionVersion version() {
        return version;
    }

    /**
     * Whether this version records segment changes: only the live one does, and only once the version it replaced is
     * gone ({@link io.crmhistory.query.projection.ReadModel#isLiveAlone}), so that never two versions log at once (the
     * replaced one goes on handling events until its processors stop, on every instance). A version being rebuilt
     * replays every event at its own now and would record moves the log has (or moves nobody saw); its states are
     * written unlogged, and once it logs, the customers it assesses differently get one
     * {@link SegmentChange#REBUILD} change each instead.
     */
    boolean logsChanges() {
        return logs.getAsBoolean();
    }

    /**
     * The last change of each of these customers in the log ({@link SegmentChange#LOG_ORDER}): its {@code to} is the
     * segment the log shows them in; a customer with no change is missing from the map.
     */
    Map<String, SegmentChange> lastLogged(Collection<String> customerIds) {
        return lastLogged(customerIds, List.of());
    }

    /** The same, leaving out the changes of these ids. */
    Map<String, SegmentChange> lastLogged(Collection<String> customerIds, Collection<String> leftOut) {
        Map<String, SegmentChange> last = new HashMap<>();
        if (customerIds.isEmpty()) {
            return last;
        }
        for (SegmentChange change : mongo.find(Query.query(Criteria.where("customerId").in(customerIds)),
                SegmentChange.class, CHANGE_LOG)) {
            if (leftOut.contains(change.id())) {
                continue;
            }
            last.merge(change.customerId(), change,
                    (a, b) -> SegmentChange.LOG_ORDER.compare(a, b) >= 0 ? a : b);
        }
        return last;
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

    /**
     * Copies the changes this version kept in its own collection (written before the log was the read model's) into
     * the log, unless done before: in id order, pages of {@value #CARRY_PAGE}; a copy a stop cut short is done again
     * from the start (the changes copied already are kept as they are), and it is marked done at the end.
     *
     * @return how many changes were copied now
     */
    long carryLegacyChanges() {
        if (legacyCarried) {
            return 0;
        }
        if (!mongo.collectionExists(legacyChanges)) {
            return 0; // still asked again: an instance of the earlier version may yet write them
        }
        if (mongo.exists(Query.query(Criteria.where("_id").is(LEGACY_CARRIED)), reevaluations)) {
            legacyCarried = true;
            return 0;
        }
        long carried = 0;
        String afterId = "";
        List<SegmentChange> page;
        do {
            page = mongo.find(Query.query(Criteria.where("_id").gt(afterId)).with(Sort.by("_id")).limit(CARRY_PAGE),
                    SegmentChange.class, legacyChanges);
            states.writeSideDocuments(List.copyOf(page));
            carried += page.size();
            afterId = page.isEmpty() ? afterId : page.get(page.size() - 1).id();
        } while (page.size() == CARRY_PAGE);
        mongo.save(new Document("_id", LEGACY_CARRIED), reevaluations);
        legacyCarried = true;
        return carried;
    }

    /** Deletes these segment changes: recorded for a move that a concurrent write then did not let happen. */
    void withdrawChanges(List<String> ids) {
        if (!ids.isEmpty()) {
            mongo.remove(Query.query(Criteria.where("_id").in(ids)), CHANGE_LOG);
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
        return CHANGE_LOG;
    }

    String legacyChanges() {
        return legacyChanges;
    }

    String reevaluations() {
        return reevaluations;
    }

    /** The version's own collections; the change log is the read model's and is never dropped with a version. */
    @Override
    public List<String> collections() {
        return List.of(collection, legacyChanges, ruleBook.collection(), reevaluations);
    }
}
