package io.crmhistory.query.history;

import io.crmhistory.platform.privacy.PersonalFields;
import io.crmhistory.query.projection.MongoStateStore;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelStore;
import io.crmhistory.query.projection.SideDocuments;
import io.crmhistory.query.segment.SegmentChangeLog;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/** One version of the history read model's collections: one state per customer, one document per timeline item. */
final class HistoryStore implements ReadModelStore {

    static final String COLLECTION = "history_customers";
    static final String ITEMS = "history_items";
    private static final List<String> PERSONAL_DETAILS = List.of(PersonalFields.NAME, PersonalFields.EMAIL,
            PersonalFields.PHONE, PersonalFields.SUBJECT, PersonalFields.NOTES, PersonalFields.OUTCOME);

    private final MongoTemplate mongo;
    private final String collection;
    private final String items;
    private final MongoStateStore<HistoryState> states;
    /** Written and read with {@link HistoryEntryCodec}: a page's items without Spring Data's mapping of each. */
    private final SideDocuments<HistoryEntry> itemDocuments;

    HistoryStore(MongoTemplate mongo, ProjectionVersion version) {
        this.mongo = mongo;
        this.collection = version.collection(COLLECTION);
        this.items = version.collection(ITEMS);
        this.itemDocuments = SideDocuments.encodedBy(mongo, items,
                new HistoryEntryCodec(mongo.getDb().getCodecRegistry()), HistoryEntry::id);
        // Items are made from the events and the customer's state alone, never read while projecting: a batch
        // starts storing them before its end.
        this.states = new MongoStateStore<>(mongo, HistoryState.class, collection, itemDocuments, true);
        mongo.indexOps(items).createIndex(new Index().on("customerId", Sort.Direction.ASC)
                .on("occurredAt", Sort.Direction.ASC).on("_id", Sort.Direction.ASC));
    }

    /**
     * Removes the personal fields from every timeline item of the customer (their plaintext was
     * revealed when the items were written), so nothing personal stays in the read model after an erasure.
     */
    void erasePersonalData(String customerId) {
        Update update = new Update();
        PERSONAL_DETAILS.forEach(field -> update.unset("details." + field));
        mongo.updateMulti(Query.query(Criteria.where("customerId").is(customerId)), update, items);
    }

    @Override
    public List<String> collections() {
        return List.of(collection, items);
    }

    MongoStateStore<HistoryState> states() {
        return states;
    }

    Optional<HistoryState> find(String customerId) {
        return states.find(customerId);
    }

    List<HistoryEntry> page(String customerId, Collection<String> types, Collection<String> channels, Instant from,
                            Instant to, Instant afterAt, String afterId, boolean descending, int limit) {
        Criteria criteria = Criteria.where("customerId").is(customerId);
        if (!types.isEmpty()) {
            criteria = criteria.and("type").in(types);
        }
        if (!channels.isEmpty()) {
            criteria = criteria.and("channel").in(channels);
        }
        if (from != null && to != null) {
            criteria = criteria.and("occurredAt").gte(Date.from(from)).lt(Date.from(to));
        } else if (from != null) {
            criteria = criteria.and("occurredAt").gte(Date.from(from));
        } else if (to != null) {
            criteria = criteria.and("occurredAt").lt(Date.from(to));
        }
        Query query = Query.query(afterAt == null ? criteria
                : new Criteria().andOperator(criteria, SegmentChangeLog.after(afterAt, afterId, descending)));
        Sort.Direction direction = descending ? Sort.Direction.DESC : Sort.Direction.ASC;
        query.with(Sort.by(direction, "occurredAt").and(Sort.by(direction, "_id")));
        return itemDocuments.find(query, limit);
    }
}
