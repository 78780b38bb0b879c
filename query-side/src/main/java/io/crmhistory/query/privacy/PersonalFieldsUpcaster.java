package io.crmhistory.query.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerProfileUpdated;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.platform.privacy.PersonalFields;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An upcaster of the customer events that carry personal fields: a view of the same event (same type and revision)
 * with something done to those fields, revealing them or leaving them out.
 */
abstract class PersonalFieldsUpcaster extends SingleEventUpcaster {

    /**
     * The events with personal fields, by their stored type name, and those fields: the one list of them. The
     * application's own upcaster reveals them all; a read model's view reveals those of its use and leaves the
     * others' out, so a type added here is never passed on as ciphertext.
     */
    static final Map<String, List<String>> FIELDS_BY_TYPE = Map.of(
            CustomerRegistered.class.getName(), List.of(PersonalFields.NAME, PersonalFields.EMAIL, PersonalFields.PHONE),
            CustomerProfileUpdated.class.getName(), List.of(PersonalFields.NAME, PersonalFields.EMAIL, PersonalFields.PHONE),
            ContactRecorded.class.getName(), List.of(PersonalFields.SUBJECT, PersonalFields.NOTES, PersonalFields.OUTCOME));

    /** Those of {@link #FIELDS_BY_TYPE} this upcaster handles; events of other types pass as they are. */
    private final Map<String, List<String>> fieldsByType;

    /** @param typeNames the stored type names of the events whose personal fields this upcaster handles */
    PersonalFieldsUpcaster(Set<String> typeNames) {
        this.fieldsByType = typeNames.stream().filter(FIELDS_BY_TYPE::containsKey)
                .collect(Collectors.toUnmodifiableMap(Function.identity(), FIELDS_BY_TYPE::get));
    }

    /** The stored type names of event classes. */
    static Set<String> typeNames(Set<? extends Class<?>> types) {
        return types.stream().map(Class::getName).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    protected final boolean canUpcast(IntermediateEventRepresentation representation) {
        return fieldsByType.containsKey(representation.getType().getName());
    }

    @Override
    protected final IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        List<String> fields = fieldsByType.get(representation.getType().getName());
        // Stored as bytes (as every event store here keeps them), the payload is parsed into a new tree at each getData
        // of the view, so the tree handed over is the view's own and is changed in place; a tree handed over as
        // stored (a JsonNode representation) may be another reader's, and is copied first.
        boolean ownTree = !JsonNode.class.isAssignableFrom(representation.getContentType());
        return new AsStoredWhenUnreadable(representation.upcastPayload(representation.getType(), JsonNode.class,
                payload -> payload instanceof ObjectNode object
                        ? withPersonalFields(ownTree ? object : object.deepCopy(), fields) : payload),
                representation);
    }

    /** The payload with its personal {@code fields} handled, changed in place: {@code payload} is this view's own. */
    protected abstract JsonNode withPersonalFields(ObjectNode payload, List<String> fields);
}
