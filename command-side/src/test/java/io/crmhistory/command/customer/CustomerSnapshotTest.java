package io.crmhistory.command.customer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.event.CustomerStatusChanged;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots are the aggregate's fields through Jackson: they must come back exactly as they were. */
class CustomerSnapshotTest {

    @Test
    void aSnapshotRestoresTheWholeState() {
        Customer customer = new Customer();
        customer.on(CustomerTest.registered(), "h0");
        customer.on(CustomerTest.contacted("k-1", "parcel late"), "h1", 1);
        customer.on(CustomerTest.purchased("o-1", "100.00"), "h2", 2);
        customer.on(CustomerTest.activatedBy("o-1", CustomerStatus.LEAD), "h3", 3);
        customer.on(CustomerTest.refunded("r-1", "40.00"), "h4", 4);
        customer.on(new CustomerStatusChanged(CustomerTest.ID, CustomerStatus.ACTIVE, CustomerStatus.INACTIVE, "quiet",
                null, CustomerTest.MONDAY.plusDays(9)), "h5", 5);

        ObjectMapper mapper = Jackson2ObjectMapperBuilder.json()
                // as the application configures it (platform defaults): ISO strings that keep their offset
                .featuresToDisable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS,
                        com.fasterxml.jackson.databind.DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(mapper).build();
        SerializedObject<byte[]> snapshot = serializer.serialize(customer, byte[].class);
        Customer restored = serializer.deserialize(snapshot);

        assertThat(restored).usingRecursiveComparison().isEqualTo(customer);
    }
}
