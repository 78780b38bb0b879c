package io.crmhistory.query.audit;

import io.crmhistory.api.customer.query.AuditAccessPage;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.query.web.Parameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;

/** The audit-access log, for operators (role ops): who looked at whose history, and when. */
@RestController
@Tag(name = "audit")
class AccessLogController {

    private final AccessLog accessLog;

    AccessLogController(AccessLog accessLog) {
        this.accessLog = accessLog;
    }

    /** @param to exclusive */
    @Operation(summary = "Who read which customer's audit trail, and when (role ops)")
    @GetMapping("/api/audit/access-log")
    AuditAccessPage accessLog(@RequestParam(required = false) String customerId,
                              @RequestParam(required = false) String principal,
                              @RequestParam(required = false) String from,
                              @RequestParam(required = false) String to,
                              @RequestParam(required = false) Integer limit,
                              @RequestParam(required = false) String cursor) {
        Instant fromInstant = Parameters.instant("from", from);
        Instant toInstant = Parameters.instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw new ClientInputException("to", "must be after from");
        }
        if (principal != null && principal.length() > 200) {
            throw new ClientInputException("principal", "at most 200 characters");
        }
        return accessLog.page(customerId == null || customerId.isBlank() ? null : Parameters.customerId(customerId),
                principal == null || principal.isBlank() ? null : principal, fromInstant, toInstant,
                Parameters.limit(limit), cursor);
    }
}
