package io.crmhistory.command.customer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command that is well-formed but conflicts with what is already recorded (409): an id reused with
 * different content, a refund beyond what was paid, a transition the lifecycle does not allow.
 * {@link #details()} are extra facts for the client (e.g. the allowed transitions), answered in the order they
 * were added so every response of a kind reads the same.
 */
public class CustomerConflictException extends RuntimeException {

    private final String field;
    private final String reason;
    private final Map<String, Object> details = new LinkedHashMap<>();

    public CustomerConflictException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** Adds a fact for the client; called only while the exception is built, before it is thrown. */
    public CustomerConflictException with(String name, Object value) {
        details.put(name, value);
        return this;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    public Map<String, Object> details() {
        return Collections.unmodifiableMap(details);
    }
}
