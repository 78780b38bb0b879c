package io.crmhistory.query.value;

import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.query.projection.CustomerProjector;
import io.crmhistory.query.projection.MongoStateStore;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.stereotype.Component;

/** Keeps each customer's {@link ValueState} in {@value ValueStore#COLLECTION}. */
@Component
@ProcessingGroup(Projections.VALUE)
class ValueProjection {

    private final ValueStore store;
    private final CustomerProjector<ValueState> projector;

    ValueProjection(ValueStore store, ReadModelVersions versions, QueryUpdateEmitter updateEmitter) {
        this.store = store;
        this.projector = new CustomerProjector<>(Projections.VALUE, store.states(), versions, updateEmitter);
    }

    @EventHandler
    void on(CustomerEvent event, EventMessage<?> message, @SequenceNumber long sequence) {
        projector.project(message, sequence, (state, envelope, batch) -> ValueLogic.apply(state, envelope));
    }

    @ResetHandler
    void reset() {
        store.states().clear();
    }
}
