package io.crmhistory.query.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Leaves the personal fields out of customer events, without reading any key or revealing anything: the view of
 * the events for read models that use no personal field ({@link ConcealedEvents}). The field is absent, as after an
 * erasure, never the ciphertext. Not a bean: Axon would put it in the chain every other reader uses.
 */
final class PersonalDataConcealingUpcaster extends PersonalFieldsUpcaster {

    @Override
    protected JsonNode withPersonalFields(ObjectNode payload, List<String> fields) {
        ObjectNode concealed = payload.deepCopy();
        concealed.remove(fields);
        return concealed;
    }
}
