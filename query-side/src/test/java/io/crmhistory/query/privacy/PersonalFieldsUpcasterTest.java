package io.crmhistory.query.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmhistory.api.customer.event.ContactRecorded;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PersonalFieldsUpcasterTest {

    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    /** The reading thread asks every event for its metadata; no projection reads them, so they stay undeserialized. */
    @Test
    void theUpcastEventKeepsItsStoredMetadataUndeserialized() {
        IntermediateEventRepresentation stored = new InitialEventRepresentation(new GenericDomainEventEntry<>(
                "Customer", "c-1", 3, "e-1", "2026-01-01T00:00:00Z", ContactRecorded.class.getName(), null,
                "{\"customerId\":\"c-1\",\"subject\":\"sealed\",\"channel\":\"EMAIL\"}".getBytes(StandardCharsets.UTF_8),
                "{\"recordedBy\":\"writer\"}".getBytes(StandardCharsets.UTF_8)), serializer);

        IntermediateEventRepresentation upcast = new PersonalDataConcealingUpcaster(
                Set.of(ContactRecorded.class.getName())).upcast(Stream.of(stored)).findFirst().orElseThrow();

        assertThat(upcast.getMetaData().isDeserialized()).isFalse();
        assertThat(upcast.getData(JsonNode.class).getData().has("subject")).as("the payload is upcast").isFalse();
        assertThat(upcast.getMetaData().getObject()).isEqualTo(MetaData.with("recordedBy", "writer"));
        assertThat(upcast.getType()).isEqualTo(new SimpleSerializedType(ContactRecorded.class.getName(), null));
    }

    /** A payload stored as a tree may be read again by others: the view changes a copy of it, never the stored tree. */
    @Test
    void aPayloadStoredAsATreeIsLeftAsItWas() throws Exception {
        ObjectNode storedTree = (ObjectNode) new ObjectMapper().readTree(
                "{\"customerId\":\"c-1\",\"subject\":\"sealed\",\"channel\":\"EMAIL\"}");
        IntermediateEventRepresentation stored = new InitialEventRepresentation(new GenericDomainEventEntry<Object>(
                "Customer", "c-1", 3, "e-1", "2026-01-01T00:00:00Z", ContactRecorded.class.getName(), null,
                storedTree, "{}".getBytes(StandardCharsets.UTF_8)), serializer);

        IntermediateEventRepresentation upcast = new PersonalDataConcealingUpcaster(
                Set.of(ContactRecorded.class.getName())).upcast(Stream.of(stored)).findFirst().orElseThrow();

        assertThat(upcast.getData(JsonNode.class).getData().has("subject")).as("the payload is upcast").isFalse();
        assertThat(storedTree.get("subject").asText()).as("the stored tree").isEqualTo("sealed");
    }
}
