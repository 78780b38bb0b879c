package io.crmhistory.query.value;

import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.query.projection.BatchedProjection;
import io.crmhistory.query.projection.CustomerProjector;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryUpdateEmitter;

import java.util.function.BooleanSupplier;

/** Keeps each customer's {@link ValueState} in one version of {@value ValueStore#COLLECTION}. */
class ValueProjection implements BatchedProjection {

    private final CustomerProjector<ValueState> projector;

    ValueProjection(ProjectionVersion version, ValueStore store, ReadModelVersions versions,
                    QueryUpdateEmitter updateEmitter, BooleanSupplier live) {
        this.projector = new CustomerProjector<>(version, store.states(), versions, updateEmitter, live);
    }

    @EventHandler
    void on(CustomerEvent event, EventMessage<?> message, @SequenceNumber long sequence) {
        projector.project(message, sequence, (state, envelope, batch) -> ValueLogic.apply(state, envelope));
    }

    @Override
    public void endOfBatch() {
        projector.endOfBatch();
    }

    @Override
    public void segmentReleased() {
        projector.segmentReleased();
    }
}
