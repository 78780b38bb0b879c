package io.crmhistory.api.customer.query;

import java.time.Instant;

/**
 * One audit call as the audit-access log keeps it: who ({@code principal}) read which customer, with
 * which call ({@code events}, {@code state}, {@code verify}) and parameters, when, and the request's
 * correlation id.
 */
public record AuditAccess(String id,
                          Instant at,
                          String principal,
                          String call,
                          String customerId,
                          String parameters,
                          String correlationId) {
}
