package io.crmhistory.query.audit;

import io.crmhistory.api.customer.query.AuditAccess;
import io.crmhistory.api.customer.query.AuditAccessPage;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.query.web.Cursors;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.springframework.data.domain.Sort;
import io.crmhistory.query.projection.ReadModelCommits;
import io.crmhistory.query.projection.ReadModelIndexes;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Who read which customer's audit trail, with which call, and when: one document per audit call in
 * {@value #COLLECTION}, inserted (acknowledged) before the call answers, so no answer leaves without its
 * trail. The application only ever inserts into it; revoking update and delete on it from the
 * application's MongoDB user makes that a guarantee (docs/audit.md).
 */
@Component
class AccessLog {

    static final String COLLECTION = "audit_access_log";
    static final int MAX_PARAMETERS = 1000;
    /** Far longer than any value an audit call reads (an instant, a list of types), for the entry to keep them all. */
    static final int MAX_VALUE = 200;
    private static final String ORDERING = "access-log";

    private final MongoTemplate mongo;
    private final Clock clock;
    private final ReadModelCommits commits;

    AccessLog(MongoTemplate mongo, Clock clock, ReadModelCommits commits, ReadModelIndexes indexes) {
        this.mongo = mongo;
        this.clock = clock;
        this.commits = commits;
        indexes.ensureOrderIndexes(mongo, COLLECTION,
                List.of(new Index().on("at", Sort.Direction.DESC).on("_id", Sort.Direction.DESC)));
        mongo.indexOps(COLLECTION).ensureIndex(new Index().on("customerId", Sort.Direction.ASC).on("at", Sort.Direction.DESC));
        mongo.indexOps(COLLECTION).ensureIndex(new Index().on("principal", Sort.Direction.ASC).on("at", Sort.Direction.DESC));
    }

    /**
     * The call's parameters as the call read them, {@code name=value&...} in the order given: each value decoded and
     * trimmed, as {@code Parameters} reads it, and at most {@value #MAX_VALUE} characters. The raw query string let a
     * caller pad a value ({@code asOf=+++…}, spaces the call trims away) past what the entry keeps, so the trail hid
     * the instant or filter asked about (a read-only review, session 59).
     */
    static String parametersOf(Map<String, String[]> parameters) {
        if (parameters.isEmpty()) {
            return null;
        }
        StringJoiner joined = new StringJoiner("&");
        parameters.forEach((name, values) -> {
            for (String value : values) {
                String read = value == null ? "" : value.strip();
                joined.add(name + "=" + (read.length() <= MAX_VALUE ? read : read.substring(0, MAX_VALUE) + "…"));
            }
        });
        return joined.toString();
    }

    void record(String principal, String call, String customerId, String parameters, String correlationId) {
        Document entry = new Document("_id", new ObjectId())
                .append("at", Date.from(clock.instant()))
                .append("principal", principal)
                .append("call", call)
                .append("customerId", customerId)
                .append("parameters", parameters == null || parameters.length() <= MAX_PARAMETERS ? parameters
                        : parameters.substring(0, MAX_PARAMETERS))
                .append("correlationId", correlationId);
        mongo.insert(entry, COLLECTION);
        // On disk before the answer leaves, even on the embedded store.
        commits.commitNow();
    }

    /** Newest first, keyset-paged by (at, _id). {@code to} is exclusive. */
    AuditAccessPage page(String customerId, String principal, Instant from, Instant to, int limit, String cursor) {
        List<Criteria> criteria = new ArrayList<>();
        if (customerId != null) {
            criteria.add(Criteria.where("customerId").is(customerId));
        }
        if (principal != null) {
            criteria.add(Criteria.where("principal").is(principal));
        }
        if (from != null) {
            criteria.add(Criteria.where("at").gte(Date.from(from)));
        }
        if (to != null) {
            criteria.add(Criteria.where("at").lt(Date.from(to)));
        }
        // A position is only meaningful in the listing it came from: another filter's next page would skip entries.
        String ordering = Cursors.ordering(ORDERING, customerId, principal, from, to);
        Map<String, String> position = Cursors.decode(cursor, ordering);
        if (position != null) {
            Date at;
            ObjectId id;
            try {
                at = Date.from(Cursors.instantOfEpochMillis(position.get("v")));
                id = new ObjectId(position.get("id"));
            } catch (IllegalArgumentException e) {
                throw new ClientInputException("cursor", "is not a cursor issued by this listing; pass the "
                        + "nextCursor of the previous page unchanged");
            }
            criteria.add(new Criteria().orOperator(Criteria.where("at").lt(at),
                    Criteria.where("at").is(at).and("_id").lt(id)));
        }
        Query query = new Query();
        if (!criteria.isEmpty()) {
            query.addCriteria(new Criteria().andOperator(criteria));
        }
        query.with(Sort.by(Sort.Direction.DESC, "at").and(Sort.by(Sort.Direction.DESC, "_id"))).limit(limit + 1);
        List<Document> found = mongo.find(query, Document.class, COLLECTION);
        List<Document> page = found.subList(0, Math.min(limit, found.size()));
        String nextCursor = null;
        if (found.size() > limit) {
            Document last = page.get(page.size() - 1);
            Map<String, String> next = new LinkedHashMap<>();
            next.put("o", ordering);
            next.put("v", Long.toString(last.getDate("at").getTime()));
            next.put("id", last.getObjectId("_id").toHexString());
            nextCursor = Cursors.encode(next);
        }
        return new AuditAccessPage(page.stream().map(AccessLog::entry).toList(), nextCursor);
    }

    private static AuditAccess entry(Document document) {
        return new AuditAccess(document.getObjectId("_id").toHexString(), document.getDate("at").toInstant(),
                document.getString("principal"), document.getString("call"), document.getString("customerId"),
                document.getString("parameters"), document.getString("correlationId"));
    }
}
