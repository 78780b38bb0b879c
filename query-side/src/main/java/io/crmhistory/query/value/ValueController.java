package io.crmhistory.query.value;

import io.crmhistory.api.customer.query.CustomerValueView;
import io.crmhistory.api.customer.query.FindCustomerValue;
import io.crmhistory.query.web.Parameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "customers", description = "What is known of each customer: profile, history, value, segment (role reader)")
class ValueController {

    private final ValueQueries queries;

    ValueController(ValueQueries queries) {
        this.queries = queries;
    }

    @Operation(summary = "A customer's running value")
    @GetMapping("/api/customers/{customerId}/value")
    CustomerValueView value(@PathVariable String customerId,
                            @RequestParam(required = false) Long minVersion,
                            @RequestHeader(name = Parameters.MIN_VERSION_HEADER, required = false) Long minVersionHeader) {
        return queries.handle(new FindCustomerValue(Parameters.customerId(customerId),
                Parameters.minVersion(minVersion, minVersionHeader)));
    }
}
