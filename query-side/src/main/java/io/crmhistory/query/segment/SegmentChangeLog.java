package io.crmhistory.query.segment;

import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The customers' segment changes, read in timeline order for the history: the read model's log, which every version
 * of it shares and only the live one writes ({@link SegmentStore#logsChanges()}).
 */
@Component
public class SegmentChangeLog {

    private final SegmentReadModel readModel;
    private final ReadModelVersions versions;

    SegmentChangeLog(SegmentReadModel readModel, ReadModelVersions versions) {
        this.readModel = readModel;
        this.versions = versions;
    }

    /**
     * Up to {@code limit} changes of the customer with {@code from <= occurredAt < to}, ordered by
     * (occurredAt, id), strictly after (or, descending, before) the position {@code afterAt}/{@code afterId}.
     */
    public List<SegmentChange> page(String customerId, Instant from, Instant to, Instant afterAt, String afterId,
                                    boolean descending, int limit) {
        Criteria criteria = Criteria.where("customerId").is(customerId);
        if (from != null && to != null) {
            criteria = criteria.and("occurredAt").gte(Date.from(from)).lt(Date.from(to));
        } else if (from != null) {
            criteria = criteria.and("occurredAt").gte(Date.from(from));
        } else if (to != null) {
            criteria = criteria.and("occurredAt").lt(Date.from(to));
        }
        Query query = Query.query(afterAt == null ? criteria
                : new Criteria().andOperator(criteria, after(afterAt, afterId, descending)));
        Sort.Direction direction = descending ? Sort.Direction.DESC : Sort.Direction.ASC;
        query.with(Sort.by(direction, "occurredAt").and(Sort.by(direction, "_id"))).limit(limit);
        SegmentStore store = readModel.live();
        return store.mongo().find(query, SegmentChange.class, store.changes());
    }

    /**
     * Waits until the segment read model has applied the customer's event {@code minVersion} (and so recorded the
     * segment change it caused), as a read asking for that version expects of every item it shows.
     *
     * @throws io.crmhistory.query.projection.ReadModelBehindException when it was not reached in time
     */
    public void awaitVersion(String customerId, long minVersion) {
        versions.read(Projections.SEGMENT, customerId, minVersion, () -> readModel.live().states().find(customerId),
                SegmentState::lastSequence);
    }

    /** The keyset condition: strictly after (occurredAt, id) in the given direction. */
    public static Criteria after(Instant at, String id, boolean descending) {
        Date date = Date.from(at);
        return descending
                ? new Criteria().orOperator(Criteria.where("occurredAt").lt(date),
                        Criteria.where("occurredAt").is(date).and("_id").lt(id))
                : new Criteria().orOperator(Criteria.where("occurredAt").gt(date),
                        Criteria.where("occurredAt").is(date).and("_id").gt(id));
    }
}
