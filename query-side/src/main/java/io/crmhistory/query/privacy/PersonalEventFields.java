package io.crmhistory.query.privacy;

import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerProfileUpdated;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.platform.privacy.PersonalFields;

import java.util.List;
import java.util.Map;

/** The customer events that carry personal fields, by their stored type name, and those fields. */
final class PersonalEventFields {

    private static final Map<String, List<String>> BY_TYPE = Map.of(
            CustomerRegistered.class.getName(), List.of(PersonalFields.NAME, PersonalFields.EMAIL, PersonalFields.PHONE),
            CustomerProfileUpdated.class.getName(), List.of(PersonalFields.NAME, PersonalFields.EMAIL, PersonalFields.PHONE),
            ContactRecorded.class.getName(), List.of(PersonalFields.SUBJECT, PersonalFields.NOTES, PersonalFields.OUTCOME));

    private PersonalEventFields() {
    }

    static boolean carriesAny(String type) {
        return BY_TYPE.containsKey(type);
    }

    /** The personal fields of events of {@code type}; empty for a type without any. */
    static List<String> of(String type) {
        return BY_TYPE.getOrDefault(type, List.of());
    }
}
