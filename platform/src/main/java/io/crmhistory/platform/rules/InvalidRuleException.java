package io.crmhistory.platform.rules;

/** A segmentation rule that cannot be accepted, naming the field at fault and why. */
public class InvalidRuleException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidRuleException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
