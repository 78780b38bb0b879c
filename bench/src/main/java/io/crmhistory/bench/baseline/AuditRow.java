package io.crmhistory.bench.baseline;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.Map;

/**
 * One appended row per change, what such a service keeps for auditors. Its id is the change's own id
 * where the command has one (contact, order, refund), which is also what makes retries idempotent; a random one
 * for the others (always a string: the store cannot order string and ObjectId keys together).
 */
@Document("audit")
record AuditRow(@Id String id, @Indexed String customerId, String type, Instant recordedAt, String principal,
                Map<String, Object> command) {
}
