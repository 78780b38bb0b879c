package io.crmhistory.query.value;

import io.crmhistory.query.projection.MongoStateStore;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelStore;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.util.List;
import java.util.Optional;

/** One version of the value read model's collection. */
final class ValueStore implements ReadModelStore {

    static final String COLLECTION = "value_customers";

    private final String collection;
    private final MongoStateStore<ValueState> states;

    ValueStore(MongoTemplate mongo, ProjectionVersion version) {
        this.collection = version.collection(COLLECTION);
        this.states = new MongoStateStore<>(mongo, ValueState.class, collection);
    }

    MongoStateStore<ValueState> states() {
        return states;
    }

    Optional<ValueState> find(String customerId) {
        return states.find(customerId);
    }

    String collection() {
        return collection;
    }

    @Override
    public List<String> collections() {
        return List.of(collection);
    }
}
