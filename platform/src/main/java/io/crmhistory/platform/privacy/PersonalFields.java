package io.crmhistory.platform.privacy;

/**
 * The personal fields of the customer events, by the name that is bound into their ciphertext:
 * a value protected as one field of one customer cannot be revealed as another.
 */
public final class PersonalFields {

    public static final String NAME = "name";
    public static final String EMAIL = "email";
    public static final String PHONE = "phone";
    public static final String SUBJECT = "subject";
    public static final String NOTES = "notes";
    public static final String OUTCOME = "outcome";

    private PersonalFields() {
    }
}
