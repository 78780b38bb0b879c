package io.crmhistory.query.segment;

import io.crmhistory.api.customer.query.CustomerSegmentView;
import io.crmhistory.api.customer.query.FindCustomerSegment;
import io.crmhistory.api.customer.query.FindSegmentCounts;
import io.crmhistory.api.customer.query.SegmentCounts;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import io.crmhistory.query.projection.UnknownCustomerException;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/** Answers segment questions, for REST and for Axon's query bus alike. */
@Component
class SegmentQueries {

    private final SegmentReadModel readModel;
    private final ReadModelVersions versions;
    private final FxRates fx;

    SegmentQueries(SegmentReadModel readModel, ReadModelVersions versions, FxRates fx) {
        this.readModel = readModel;
        this.versions = versions;
        this.fx = fx;
    }

    @QueryHandler
    CustomerSegmentView handle(FindCustomerSegment query) {
        SegmentState state = versions.read(Projections.SEGMENT, query.customerId(), query.minVersion(),
                        () -> readModel.live().find(query.customerId()), SegmentState::lastSequence)
                .filter(found -> found.assessment() != null)
                .orElseThrow(() -> new UnknownCustomerException(query.customerId()));
        return SegmentLogic.view(state, fx);
    }

    /** Every segment of the rules in force, in rule order with the fallback last, empty ones included. */
    @QueryHandler
    SegmentCounts handle(FindSegmentCounts query) {
        SegmentStore store = readModel.live();
        SegmentEvaluator rules = store.ruleBook().current();
        List<SegmentCounts.SegmentCount> segments = new ArrayList<>();
        for (String name : rules.segmentNames()) {
            segments.add(new SegmentCounts.SegmentCount(name, store.countIn(name)));
        }
        return new SegmentCounts(rules.version(), segments);
    }
}
