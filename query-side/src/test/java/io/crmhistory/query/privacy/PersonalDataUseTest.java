package io.crmhistory.query.privacy;

import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What each use of personal data reveals, against the one list of events that carry personal fields. */
class PersonalDataUseTest {

    /** A type given personal fields but not added to ALL would reach the history as ciphertext. */
    @Test
    void allRevealsEveryEventTypeThatHasPersonalFields() {
        assertThat(PersonalFieldsUpcaster.typeNames(PersonalDataUse.ALL.revealedTypes()))
                .isEqualTo(PersonalFieldsUpcaster.FIELDS_BY_TYPE.keySet());
    }

    @Test
    void theProfileIsRevealedToTheDirectoryAndAContactsWordsAreNot() {
        assertThat(PersonalDataUse.PROFILE.reveals(CustomerRegistered.class)).isTrue();
        assertThat(PersonalDataUse.PROFILE.reveals(ContactRecorded.class)).isFalse();
        assertThat(PersonalDataUse.ALL.reveals(ContactRecorded.class)).isTrue();
        assertThat(PersonalDataUse.ALL.reveals(PurchaseRecorded.class)).as("no personal field").isFalse();
        assertThat(PersonalDataUse.NONE.revealedTypes()).isEmpty();
    }
}
