package io.crmhistory.platform.config;

/**
 * A {@code crm.*} setting the application refuses to start with. {@link RefusedSettingFailureAnalyzer} prints it
 * first in Spring Boot's start-failure report, with the property and the reason, and never the value: some of these
 * settings are secrets (a password, the master key).
 */
public class RefusedSetting extends IllegalStateException {

    private final String property;
    private final String reason;

    /**
     * @param property the property's name, as the user would write it ({@code crm.security.users.ann.password})
     * @param reason   what is wrong and what is accepted, without the value
     */
    public RefusedSetting(String property, String reason) {
        this(property, reason, null);
    }

    /** @param cause what failed when the setting was applied, for the log; its message may be in the reason too */
    public RefusedSetting(String property, String reason, Throwable cause) {
        super(property + ": " + reason, cause);
        this.property = property;
        this.reason = reason;
    }

    public String property() {
        return property;
    }

    public String reason() {
        return reason;
    }
}
