package io.crmhistory.api.customer.query;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** A page of the audit-access log, newest first; {@code nextCursor} is {@code null} on the last page. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditAccessPage(List<AuditAccess> items, String nextCursor) {
}
