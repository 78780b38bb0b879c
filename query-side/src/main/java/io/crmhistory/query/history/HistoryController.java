package io.crmhistory.query.history;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.query.FindCustomerHistory;
import io.crmhistory.api.customer.query.HistoryItemType;
import io.crmhistory.api.customer.query.HistoryPage;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.query.web.Parameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

@RestController
@Tag(name = "customers")
class HistoryController {

    private final HistoryQueries queries;

    HistoryController(HistoryQueries queries) {
        this.queries = queries;
    }

    /**
     * @param types    comma-separated item types
     * @param channels comma-separated channels (keeps contacts and purchases on them)
     * @param from     inclusive, ISO-8601 with offset
     * @param to       exclusive, ISO-8601 with offset
     * @param order    {@code desc} (default, newest first) or {@code asc}
     */
    @Operation(summary = "A customer's interaction history, filtered and paged")
    @GetMapping("/api/customers/{customerId}/history")
    HistoryPage history(@PathVariable String customerId,
                        @RequestParam(required = false) String types,
                        @RequestParam(required = false) String channels,
                        @RequestParam(required = false) String from,
                        @RequestParam(required = false) String to,
                        @RequestParam(required = false) String order,
                        @RequestParam(required = false) Integer limit,
                        @RequestParam(required = false) String cursor,
                        @RequestParam(required = false) Long minVersion,
                        @RequestHeader(name = Parameters.MIN_VERSION_HEADER, required = false) Long minVersionHeader) {
        Instant fromInstant = Parameters.instant("from", from);
        Instant toInstant = Parameters.instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw new ClientInputException("to", "must be after 'from'");
        }
        Set<String> channelNames = Parameters.enums("channels", channels, ContactChannel.class).stream()
                .map(Enum::name).collect(Collectors.toSet());
        return queries.handle(new FindCustomerHistory(Parameters.customerId(customerId),
                Parameters.enums("types", types, HistoryItemType.class), channelNames, fromInstant, toInstant,
                descending(order), Parameters.limit(limit), cursor, Parameters.minVersion(minVersion, minVersionHeader)));
    }

    private static boolean descending(String order) {
        if (order == null || order.isBlank()) {
            return true;
        }
        return switch (order.trim().toLowerCase(Locale.ROOT)) {
            case "desc" -> true;
            case "asc" -> false;
            default -> throw new ClientInputException("order", "'" + order + "' is not one of [asc, desc]");
        };
    }
}
