package io.crmhistory.query.segment;

import io.crmhistory.api.customer.query.CustomerSegmentView;
import io.crmhistory.api.customer.query.FindCustomerSegment;
import io.crmhistory.api.customer.query.FindSegmentCounts;
import io.crmhistory.api.customer.query.SegmentCounts;
import io.crmhistory.query.web.Parameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "segments", description = "Segments and their members (role reader)")
class SegmentController {

    private final SegmentQueries queries;

    SegmentController(SegmentQueries queries) {
        this.queries = queries;
    }

    @Operation(summary = "A customer's segment with the scores, inputs and rule that decided it")
    @GetMapping("/api/customers/{customerId}/segment")
    CustomerSegmentView segment(@PathVariable String customerId,
                                @RequestParam(required = false) Long minVersion,
                                @RequestHeader(name = Parameters.MIN_VERSION_HEADER, required = false) Long minVersionHeader) {
        return queries.handle(new FindCustomerSegment(Parameters.customerId(customerId),
                Parameters.minVersion(minVersion, minVersionHeader)));
    }

    @Operation(summary = "Every segment of the rules in force with its number of customers")
    @GetMapping("/api/segments")
    SegmentCounts segments() {
        return queries.handle(new FindSegmentCounts());
    }
}
