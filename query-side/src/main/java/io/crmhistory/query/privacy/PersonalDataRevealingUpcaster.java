package io.crmhistory.query.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reveals the personal fields of customer events as the query side reads them from the store, so
 * every projection, live or replaying, sees plaintext while the customer's key exists and nothing
 * once it was destroyed by an erasure (the field is then absent, never the ciphertext). The stored
 * events keep their ciphertext, and the revision is unchanged: this is a view of the same event.
 * <p>
 * Only the query side registers it; the command side decides on the stored (protected) form. Read models that use
 * fewer personal fields read the others through {@link PersonalDataConcealingUpcaster} instead when they read on
 * their own ({@link PersonalDataViews}).
 */
@Component
class PersonalDataRevealingUpcaster extends PersonalFieldsUpcaster {

    private static final Logger log = LoggerFactory.getLogger(PersonalDataRevealingUpcaster.class);

    private final PersonalDataProtector protector;

    /** The upcaster of the application's event store: every personal field revealed. */
    @Autowired
    PersonalDataRevealingUpcaster(PersonalDataProtector protector) {
        this(protector, FIELDS_BY_TYPE.keySet());
    }

    /** Reveals the fields of these event types only; for a read model's view of the events ({@link PersonalDataViews}). */
    PersonalDataRevealingUpcaster(PersonalDataProtector protector, Set<String> typeNames) {
        super(typeNames);
        this.protector = protector;
    }

    @Override
    protected JsonNode withPersonalFields(ObjectNode object, List<String> fields) {
        if (!object.hasNonNull("customerId")) {
            return object;
        }
        String customerId = object.get("customerId").asText();
        for (String field : fields) {
            JsonNode stored = object.get(field);
            if (stored == null || !stored.isTextual()) {
                continue;
            }
            Optional<String> plaintext = revealOrForget(customerId, field, stored.asText());
            if (plaintext.isPresent()) {
                object.put(field, plaintext.get());
            } else {
                object.remove(field);
            }
        }
        return object;
    }

    private Optional<String> revealOrForget(String customerId, String field, String stored) {
        try {
            return protector.reveal(customerId, field, stored);
        } catch (IllegalStateException e) {
            // A value that does not authenticate was altered in the store (verify names the event);
            // the projection carries on without it rather than stall every customer behind it.
            log.warn("Personal field '{}' of customer '{}' does not authenticate and is left out: {}",
                    field, customerId, e.getMessage());
            return Optional.empty();
        }
    }
}
