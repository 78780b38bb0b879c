package io.crmhistory.command.customer;

import java.util.Map;

/**
 * A command that is well-formed but conflicts with what is already recorded (409): an id reused with
 * different content, a refund beyond what was paid, a transition the lifecycle does not allow.
 * {@code details} are extra facts for the client (e.g. the allowed transitions).
 */
public class CustomerConflictException extends RuntimeException {

    private final String field;
    private final String reason;
    private final Map<String, Object> details;

    public CustomerConflictException(String field, String reason) {
        this(field, reason, Map.of());
    }

    public CustomerConflictException(String field, String reason, Map<String, Object> details) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
        this.details = Map.copyOf(details);
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    public Map<String, Object> details() {
        return details;
    }
}
