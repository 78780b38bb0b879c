package io.crmhistory.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.api.customer.query.AuditedEvent;
import io.crmhistory.api.customer.query.ChainVerificationView;
import io.crmhistory.api.customer.query.CustomerStateAsOf;
import io.crmhistory.api.rules.PublishSegmentationRules;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.CorrelationIdFilter;
import io.crmhistory.platform.web.OpenApiConventions;
import io.crmhistory.query.web.Parameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;

/**
 * The auditors' calls (role auditor). Each is written to the audit-access log before it answers; a call
 * refused for bad input or an unknown customer reads nothing and is not logged.
 */
@RestController
@Tag(name = "audit", description = "For auditors (role auditor): raw events, state as of an instant, hash-chain verification")
class AuditController {

    static final String EVENTS = "events";
    static final String STATE = "state";
    static final String VERIFY = "verify";

    private final AuditQueries queries;
    private final AccessLog accessLog;
    private final EventExport export;
    private final Clock clock;

    AuditController(AuditQueries queries, AccessLog accessLog, ObjectMapper json, Clock clock) {
        this.queries = queries;
        this.accessLog = accessLog;
        this.export = new EventExport(json);
        this.clock = clock;
    }

    /**
     * @param from  inclusive, business time, ISO-8601 with offset
     * @param to    exclusive
     * @param types comma-separated event type names, e.g. {@code PurchaseRecorded,RefundRecorded}
     */
    @Operation(summary = "A customer's events as stored (JSON, NDJSON or CSV)")
    @ApiResponse(responseCode = "200", description = "The events, streamed, in the format the Accept header prefers: "
            + "JSON (one document), NDJSON (one event a line) or CSV (RFC 4180, a header row, then one event a row with "
            + "its payload as JSON in the last cell)",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schemaProperties = {
                    @SchemaProperty(name = "customerId", schema = @Schema(type = "string")),
                    @SchemaProperty(name = "events", array = @ArraySchema(schema = @Schema(implementation = AuditedEvent.class)))}),
                    @Content(mediaType = MediaType.APPLICATION_NDJSON_VALUE,
                            schema = @Schema(implementation = AuditedEvent.class)),
                    @Content(mediaType = "text/csv", schema = @Schema(type = "string", example = EventExport.CSV_EXAMPLE))})
    @GetMapping("/api/audit/customers/{customerId}/events")
    ResponseEntity<StreamingResponseBody> events(@PathVariable String customerId,
                                                 @RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to,
                                                 @RequestParam(required = false) String types,
                                                 @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
                                                 Principal principal, HttpServletRequest request) {
        String id = Parameters.customerId(customerId);
        EventFilter filter = EventFilter.parse(from, to, types);
        ExportFormat format = ExportFormat.negotiate(accept);
        Iterator<AuditedEvent> events = queries.events(id, filter, export);
        logAccess(principal, EVENTS, id, request);
        StreamingResponseBody body = out -> export.write(format, id, events, out);
        return ResponseEntity.ok().contentType(format.mediaType()).body(body);
    }

    /**
     * @param asOf ISO-8601 with offset, not in the future; the clock's now when absent
     * @param axis {@code recorded} (default) or {@code occurred}
     */
    @Operation(summary = "A customer's state as of an instant, as then known (recorded) or as now known (occurred)")
    @ApiResponse(responseCode = "200", description = "The customer as of the instant")
    @ApiResponse(responseCode = "422", description = "On the occurred axis: more of the customer's events recorded out "
            + "of business-time order than 16 reads holding crm.audit.as-of.max-events-held each can order",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = OpenApiConventions.PROBLEM_SCHEMA_REF)))
    @GetMapping("/api/audit/customers/{customerId}/state")
    CustomerStateAsOf state(@PathVariable String customerId,
                            @RequestParam(required = false) String asOf,
                            @RequestParam(required = false) String axis,
                            Principal principal, HttpServletRequest request) {
        String id = Parameters.customerId(customerId);
        Instant now = clock.instant();
        Instant at = Parameters.instant("asOf", asOf);
        if (at != null && at.isAfter(now)) {
            throw new ClientInputException("asOf", "is in the future (now is " + now + "); leave it out to ask about now");
        }
        Axis chosen = Parameters.choice("axis", axis, Axis.RECORDED, Axis::parse, Axis.NAMES);
        CustomerStateAsOf state;
        try {
            state = queries.stateAsOf(id, at == null ? now : at, chosen);
        } catch (ClientInputException notRegisteredYet) {
            // Refused after the customer's events were read (and the answer says the customer exists): an access.
            logAccess(principal, STATE, id, request);
            throw notRegisteredYet;
        }
        logAccess(principal, STATE, id, request);
        return state;
    }

    @Operation(summary = "Verify that nothing in a customer's event stream was altered (hash chain)")
    @GetMapping("/api/audit/customers/{customerId}/verify")
    ChainVerificationView verify(@PathVariable String customerId, Principal principal, HttpServletRequest request) {
        String id = Parameters.customerId(customerId);
        ChainVerificationView verification = queries.verify(id);
        logAccess(principal, VERIFY, id, request);
        return verification;
    }

    /** The same proof for the history of segmentation rules, which decides every customer's segment. */
    @Operation(summary = "Verify that nothing in the segmentation rule book was altered (hash chain)")
    @GetMapping("/api/audit/segmentation-rules/verify")
    ChainVerificationView verifyRuleBook(Principal principal, HttpServletRequest request) {
        ChainVerificationView verification = queries.verifyRuleBook();
        logAccess(principal, VERIFY, PublishSegmentationRules.RULE_BOOK_ID, request);
        return verification;
    }

    private void logAccess(Principal principal, String call, String customerId, HttpServletRequest request) {
        Object correlationId = request.getAttribute(CorrelationIdFilter.REQUEST_ATTRIBUTE);
        accessLog.record(principal.getName(), call, customerId, AccessLog.parametersOf(request.getParameterMap()),
                correlationId == null ? null : correlationId.toString());
    }
}
