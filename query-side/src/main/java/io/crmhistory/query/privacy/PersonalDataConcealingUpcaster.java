package io.crmhistory.query.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.util.List;

/**
 * Leaves the personal fields out of customer events, without reading any key or revealing anything: the view of
 * the events for read models that use no personal field ({@link ConcealedEvents}). The field is absent, as after an
 * erasure, never the ciphertext. Not a bean: Axon would put it in the chain every other reader uses.
 */
final class PersonalDataConcealingUpcaster extends SingleEventUpcaster {

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return PersonalEventFields.carriesAny(representation.getType().getName());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        List<String> fields = PersonalEventFields.of(representation.getType().getName());
        return representation.upcastPayload(representation.getType(), JsonNode.class, payload -> {
            if (!(payload instanceof ObjectNode object)) {
                return payload;
            }
            ObjectNode concealed = object.deepCopy();
            concealed.remove(fields);
            return concealed;
        });
    }
}
