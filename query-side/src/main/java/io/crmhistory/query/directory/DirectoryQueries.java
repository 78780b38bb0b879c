package io.crmhistory.query.directory;

import io.crmhistory.api.customer.query.CustomerPage;
import io.crmhistory.api.customer.query.CustomerView;
import io.crmhistory.api.customer.query.FindCustomer;
import io.crmhistory.api.customer.query.ListCustomers;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.query.prediction.Forecasts;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import io.crmhistory.query.projection.UnknownCustomerException;
import io.crmhistory.query.segment.SegmentMembership;
import io.crmhistory.query.web.Cursors;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Answers directory questions: one customer, and pages of customers filtered by segment, status and
 * a name/email search, in any of the listing orders, with keyset cursors (stable under inserts, no
 * skipped or repeated customers).
 * <p>
 * The search matches a case-insensitive substring of the stored lower-cased name or email with a regular
 * expression, which works on the embedded server and on MongoDB alike (the embedded server has no
 * {@code $text}); on a large MongoDB deployment a text or Atlas Search index would replace it.
 */
@Component
class DirectoryQueries {

    private final DirectoryReadModel readModel;
    private final SegmentMembership segments;
    private final ReadModelVersions versions;
    private final FxRates fx;
    private final Forecasts forecasts;
    private final Clock clock;

    DirectoryQueries(DirectoryReadModel readModel, SegmentMembership segments, ReadModelVersions versions, FxRates fx,
                     Forecasts forecasts, Clock clock) {
        this.forecasts = forecasts;
        this.clock = clock;
        this.readModel = readModel;
        this.segments = segments;
        this.versions = versions;
        this.fx = fx;
    }

    @QueryHandler
    CustomerView handle(FindCustomer query) {
        DirectoryState state = versions.read(Projections.DIRECTORY, query.customerId(), query.minVersion(),
                        () -> readModel.live().find(query.customerId()), DirectoryState::lastSequence)
                .orElseThrow(() -> new UnknownCustomerException(query.customerId()));
        return DirectoryLogic.view(state, segments.segmentsOf(List.of(state.id())).get(state.id()),
                forecasts.forecast(state.id(), clock.instant()).orElse(null), fx);
    }

    boolean exists(String customerId) {
        return readModel.live().find(customerId).isPresent();
    }

    @QueryHandler
    CustomerPage handle(ListCustomers query) {
        CustomerSort sort = CustomerSort.parse(query.sort());
        String ordering = Cursors.ordering(sort.ordering(), query.segment(), query.status(), query.q());
        Map<String, String> cursor = Cursors.decode(query.cursor(), ordering);
        List<Criteria> criteria = new ArrayList<>();
        if (query.segment() != null) {
            criteria.add(Criteria.where(DirectoryStore.SEGMENT).is(query.segment()));
        }
        if (query.status() != null) {
            criteria.add(Criteria.where("status").is(query.status().name()));
        }
        if (query.q() != null && !query.q().isBlank()) {
            String contains = Pattern.quote(query.q().trim().toLowerCase(Locale.ROOT));
            criteria.add(new Criteria().orOperator(Criteria.where("nameKey").regex(contains),
                    Criteria.where("emailKey").regex(contains)));
        }
        String field = sort.field().documentField();
        if (cursor != null) {
            if (cursor.get("v") == null) {
                throw new ClientInputException("cursor", "is not a cursor issued by this listing; pass the "
                        + "nextCursor of the previous page unchanged");
            }
            criteria.add(after(sort, sort.queryValue(cursor.get("v")), cursor.get("id")));
        }
        Query mongoQuery = new Query();
        if (!criteria.isEmpty()) {
            mongoQuery.addCriteria(new Criteria().andOperator(criteria));
        }
        Sort.Direction direction = sort.descending() ? Sort.Direction.DESC : Sort.Direction.ASC;
        mongoQuery.with(Sort.by(direction, field).and(Sort.by(direction, "_id"))).limit(query.limit() + 1);
        List<DirectoryState> found = readModel.live().find(mongoQuery);

        List<DirectoryState> page = found.subList(0, Math.min(query.limit(), found.size()));
        Map<String, CustomerView.SegmentRef> segmentOf = segments.segmentsOf(page.stream().map(DirectoryState::id).toList());
        String nextCursor = null;
        if (found.size() > query.limit()) {
            DirectoryState last = page.get(page.size() - 1);
            Map<String, String> position = new LinkedHashMap<>();
            position.put("o", ordering);
            position.put("v", sort.cursorValue(last));
            position.put("id", last.id());
            nextCursor = Cursors.encode(position);
        }
        // Listed customers carry the stored forecast (as of its last refresh), which is also what the list sorts by.
        return new CustomerPage(page.stream().map(state -> DirectoryLogic.view(state, segmentOf.get(state.id()),
                state.forecast(), fx)).toList(), nextCursor);
    }

    /**
     * The entries after a page's last one ({@code value}, {@code id}) in the listing's order. A field that may be
     * absent (an entry whose registration the directory never applied has no {@code registeredAt}) sorts as MongoDB
     * sorts a missing value, before every date ascending and after every date descending, and its cursor value is
     * {@link CustomerSort#MISSING}; comparisons never match a missing value, so those entries are asked for by name.
     */
    private static Criteria after(CustomerSort sort, Object value, String id) {
        String field = sort.field().documentField();
        if (value == CustomerSort.MISSING) {
            Criteria missingAfter = Criteria.where(field).is(null).and("_id");
            return sort.descending() ? missingAfter.lt(id)
                    : new Criteria().orOperator(Criteria.where(field).ne(null), missingAfter.gt(id));
        }
        Criteria sameValueAfter = Criteria.where(field).is(value).and("_id");
        if (sort.descending()) {
            Criteria before = new Criteria().orOperator(Criteria.where(field).lt(value), sameValueAfter.lt(id));
            return sort.field().mayBeMissing()
                    ? new Criteria().orOperator(before, Criteria.where(field).is(null)) : before;
        }
        return new Criteria().orOperator(Criteria.where(field).gt(value), sameValueAfter.gt(id));
    }
}
