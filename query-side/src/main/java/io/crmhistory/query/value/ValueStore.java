package io.crmhistory.query.value;

import io.crmhistory.query.projection.MongoStateStore;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** The value read model's collection. */
@Component
class ValueStore {

    static final String COLLECTION = "value_customers";

    private final MongoStateStore<ValueState> states;

    ValueStore(MongoTemplate mongo) {
        this.states = new MongoStateStore<>(mongo, ValueState.class, COLLECTION);
    }

    MongoStateStore<ValueState> states() {
        return states;
    }

    Optional<ValueState> find(String customerId) {
        return states.find(customerId);
    }
}
