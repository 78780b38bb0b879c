package io.crmhistory.query.segment;

import io.crmhistory.api.customer.query.CustomerView;
import io.crmhistory.query.projection.ProjectionVersion;
import org.bson.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What other read models' answers need to know of segments: who is in which, and which segments exist. */
@Component
public class SegmentMembership {

    private static final String ASSESSMENT = "assessment";

    private final SegmentReadModel readModel;

    SegmentMembership(SegmentReadModel readModel) {
        this.readModel = readModel;
    }

    /** The segments of the rules in force, the fallback last. */
    public List<String> segmentNames() {
        return readModel.live().ruleBook().current().segmentNames();
    }

    /** The current segment of each of these customers that has one. */
    public Map<String, CustomerView.SegmentRef> segmentsOf(Collection<String> customerIds) {
        return segmentsOf(readModel.live(), customerIds);
    }

    /**
     * The live version's number and the current segment name of each of these customers that has one, read from that
     * version (a rebuild's switch between the two reads cannot mix them).
     */
    public LiveSegments liveSegmentsOf(Collection<String> customerIds) {
        ProjectionVersion version = readModel.liveVersion();
        Map<String, String> names = new HashMap<>();
        segmentsOf(readModel.store(version), customerIds).forEach((customerId, segment) ->
                names.put(customerId, segment.name()));
        return new LiveSegments(version.version(), names);
    }

    /** The number of the segment read model's live version. */
    public int liveVersion() {
        return readModel.liveVersion().version();
    }

    /** Segments as one version of the segment read model has them. */
    public record LiveSegments(int version, Map<String, String> segments) {
    }

    private static Map<String, CustomerView.SegmentRef> segmentsOf(SegmentStore store,
                                                                   Collection<String> customerIds) {
        Map<String, CustomerView.SegmentRef> segments = new HashMap<>();
        if (customerIds.isEmpty()) {
            return segments;
        }
        // Only the two fields asked for: a whole state carries the customer's purchases (thousands for some), all
        // mapped to objects just to be dropped.
        Query query = Query.query(Criteria.where("_id").in(customerIds));
        query.fields().include(ASSESSMENT + ".segment", ASSESSMENT + ".ruleVersion");
        for (Document state : store.mongo().find(query, Document.class, store.collection())) {
            Document assessment = state.get(ASSESSMENT, Document.class);
            if (assessment != null) {
                segments.put(state.getString("_id"), new CustomerView.SegmentRef(assessment.getString("segment"),
                        assessment.getInteger("ruleVersion")));
            }
        }
        return segments;
    }

    /** Calls {@code each} with every customer's current segment (of those the segment read model assessed). */
    public void forEachSegment(java.util.function.BiConsumer<String, String> each) {
        SegmentStore store = readModel.live();
        String afterId = null;
        List<Document> page;
        do {
            page = store.states().page(afterId, SegmentReevaluation.PAGE_SIZE, ASSESSMENT + ".segment");
            for (Document state : page) {
                afterId = state.getString("_id");
                Document assessment = state.get(ASSESSMENT, Document.class);
                if (assessment != null) {
                    each.accept(afterId, assessment.getString("segment"));
                }
            }
        } while (page.size() == SegmentReevaluation.PAGE_SIZE);
    }
}
