package io.crmhistory.query.directory;

import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.query.CustomerPage;
import io.crmhistory.api.customer.query.CustomerUpdated;
import io.crmhistory.api.customer.query.CustomerView;
import io.crmhistory.api.customer.query.FindCustomer;
import io.crmhistory.api.customer.query.ListCustomers;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.FieldProblem;
import io.crmhistory.query.projection.UnknownCustomerException;
import io.crmhistory.query.segment.SegmentMembership;
import io.crmhistory.query.web.Parameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;

@RestController
@Tag(name = "customers")
class DirectoryController {

    /** Keeps idle event streams open through proxies and lets the server notice closed ones. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final DirectoryQueries queries;
    private final SegmentMembership segments;
    private final QueryGateway queryGateway;

    DirectoryController(DirectoryQueries queries, SegmentMembership segments, QueryGateway queryGateway) {
        this.queries = queries;
        this.segments = segments;
        this.queryGateway = queryGateway;
    }

    @Operation(summary = "A customer: profile, status, segment and value")
    @GetMapping("/api/customers/{customerId}")
    CustomerView customer(@PathVariable String customerId,
                          @RequestParam(required = false) Long minVersion,
                          @RequestHeader(name = Parameters.MIN_VERSION_HEADER, required = false) Long minVersionHeader) {
        return queries.handle(new FindCustomer(Parameters.customerId(customerId),
                Parameters.minVersion(minVersion, minVersionHeader)));
    }

    /**
     * @param sort {@code netRevenue}, {@code lastPurchaseAt}, {@code registeredAt} or {@code name} (default),
     *             {@code -} prefix for descending
     */
    @Operation(summary = "Customers, filtered, searched and paged in the order asked")
    @GetMapping("/api/customers")
    CustomerPage customers(@RequestParam(required = false) String segment,
                           @RequestParam(required = false) String status,
                           @RequestParam(required = false) String q,
                           @RequestParam(required = false) String sort,
                           @RequestParam(required = false) Integer limit,
                           @RequestParam(required = false) String cursor) {
        if (segment != null && !segment.isBlank() && !segments.segmentNames().contains(segment.trim())) {
            throw new ClientInputException("segment", "'" + segment + "' is not one of " + segments.segmentNames());
        }
        if (q != null && q.length() > 200) {
            throw new ClientInputException("q", "at most 200 characters");
        }
        return queries.handle(new ListCustomers(segment == null || segment.isBlank() ? null : segment.trim(),
                Parameters.oneOf("status", status, CustomerStatus.class), q, sort, Parameters.limit(limit), cursor));
    }

    @Operation(summary = "A segment's customers, paged")
    @GetMapping("/api/segments/{name}/customers")
    CustomerPage segmentMembers(@PathVariable String name,
                                @RequestParam(required = false) String sort,
                                @RequestParam(required = false) Integer limit,
                                @RequestParam(required = false) String cursor) {
        if (!segments.segmentNames().contains(name)) {
            throw new ClientInputException(HttpStatus.NOT_FOUND, List.of(new FieldProblem("name",
                    "no segment '" + name + "' in the rules in force; known: " + segments.segmentNames())));
        }
        return queries.handle(new ListCustomers(name, null, null, sort, Parameters.limit(limit), cursor));
    }

    /**
     * Live updates of one customer as server-sent events: first a {@code customer} event with the
     * customer as the directory knows them, then an {@code update} event whenever a read model has
     * committed a change of theirs ({@code {"customerId", "readModel", "version"}}).
     */
    @Operation(summary = "Live updates of a customer as server-sent events")
    @GetMapping(path = "/api/customers/{customerId}/updates", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> updates(@PathVariable String customerId) {
        String id = Parameters.customerId(customerId);
        if (!queries.exists(id)) {
            throw new UnknownCustomerException(id);
        }
        SubscriptionQueryResult<CustomerView, CustomerUpdated> subscription = queryGateway.subscriptionQuery(
                new FindCustomer(id, null), ResponseTypes.instanceOf(CustomerView.class),
                ResponseTypes.instanceOf(CustomerUpdated.class));
        Flux<ServerSentEvent<Object>> initial = subscription.initialResult().flux()
                .map(view -> ServerSentEvent.builder((Object) view).event("customer").id(Long.toString(view.version()))
                        .build());
        Flux<ServerSentEvent<Object>> updates = subscription.updates()
                .map(update -> ServerSentEvent.builder((Object) update).event("update").build());
        Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(HEARTBEAT)
                .map(tick -> ServerSentEvent.builder().comment("keep-alive").build());
        return initial.concatWith(Flux.merge(updates, heartbeats)).doFinally(signal -> subscription.close());
    }
}
