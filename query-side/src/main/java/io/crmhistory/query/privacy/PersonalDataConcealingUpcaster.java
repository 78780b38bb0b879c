package io.crmhistory.query.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * Leaves the personal fields out of customer events, without reading any key or revealing anything: the view of
 * the events for read models that use none of those fields ({@link PersonalDataViews}). The field is absent, as after an
 * erasure, never the ciphertext. Not a bean: Axon would put it in the chain every other reader uses.
 */
final class PersonalDataConcealingUpcaster extends PersonalFieldsUpcaster {

    /** @param typeNames the stored type names of the events whose personal fields are left out */
    PersonalDataConcealingUpcaster(Set<String> typeNames) {
        super(typeNames);
    }

    @Override
    protected JsonNode withPersonalFields(ObjectNode payload, List<String> fields) {
        payload.remove(fields);
        return payload;
    }
}
