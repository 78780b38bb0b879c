package io.crmhistory.query.segment;

import io.crmhistory.api.customer.query.CustomerSegmentView;
import io.crmhistory.api.customer.query.FindCustomerSegment;
import io.crmhistory.api.customer.query.FindSegmentCounts;
import io.crmhistory.api.customer.query.SegmentCounts;
import io.crmhistory.query.web.Parameters;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class SegmentController {

    private final SegmentQueries queries;

    SegmentController(SegmentQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/api/customers/{customerId}/segment")
    CustomerSegmentView segment(@PathVariable String customerId,
                                @RequestParam(required = false) Long minVersion,
                                @RequestHeader(name = Parameters.MIN_VERSION_HEADER, required = false) Long minVersionHeader) {
        return queries.handle(new FindCustomerSegment(Parameters.customerId(customerId),
                Parameters.minVersion(minVersion, minVersionHeader)));
    }

    @GetMapping("/api/segments")
    SegmentCounts segments() {
        return queries.handle(new FindSegmentCounts());
    }
}
