package io.crmhistory.query.privacy;

import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.api.customer.event.CustomerProfileUpdated;
import io.crmhistory.api.customer.event.CustomerRegistered;

import java.util.Set;

/**
 * Which personal fields of the events a read model uses: it reads them revealed, and when it reads on its own (a
 * rebuild) the others are left out unread ({@link PersonalDataViews}), sparing a key read per customer and a
 * decryption per field it would never look at.
 */
public enum PersonalDataUse {

    /** No personal field (value, segment). */
    NONE(Set.of()),
    /** The customer's name, email and phone (registrations and profile updates), not the words of a contact. */
    PROFILE(Set.of(CustomerRegistered.class, CustomerProfileUpdated.class)),
    /** Every personal field, a contact's subject, notes and outcome included (history). */
    ALL(Set.of(CustomerRegistered.class, CustomerProfileUpdated.class, ContactRecorded.class));

    private final Set<Class<? extends CustomerEvent>> revealedTypes;

    PersonalDataUse(Set<Class<? extends CustomerEvent>> revealedTypes) {
        this.revealedTypes = revealedTypes;
    }

    /** The event types whose personal fields are revealed for this use; the other types' are left out. */
    public Set<Class<? extends CustomerEvent>> revealedTypes() {
        return revealedTypes;
    }

    /** Whether reading an event of this payload type reveals something, so needs its customer's key. */
    public boolean reveals(Class<?> payloadType) {
        return revealedTypes.contains(payloadType);
    }
}
