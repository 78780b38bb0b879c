package io.crmhistory.bench.baseline;

import io.crmhistory.api.customer.CustomerStatus;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;
import org.springframework.data.mongodb.core.mapping.FieldType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The customer as one mutable document: the current state only, history goes to {@link AuditRow}s. */
@Document("customers")
class CustomerDocument {

    @Id
    String id;
    @Version
    Long version;
    String name;
    @Indexed(unique = true, sparse = true)
    String email;
    String phone;
    String country;
    String acquisitionChannel;
    Instant registeredAt;
    CustomerStatus status;
    @Field(targetType = FieldType.DECIMAL128)
    BigDecimal netRevenue = BigDecimal.ZERO;
    long orderCount;
    long refundCount;
    long contactCount;
    Instant lastPurchaseAt;
    Instant lastContactAt;
    List<Order> orders = new ArrayList<>();

    Order order(String orderId) {
        return orders.stream().filter(o -> o.orderId.equals(orderId)).findFirst().orElse(null);
    }

    static class Order {
        String orderId;
        String currency;
        @Field(targetType = FieldType.DECIMAL128)
        BigDecimal amount;
        @Field(targetType = FieldType.DECIMAL128)
        BigDecimal refunded = BigDecimal.ZERO;
    }
}
