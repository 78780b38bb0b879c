package io.crmhistory.query.directory;

import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.query.projection.BatchedProjection;
import io.crmhistory.query.projection.CustomerProjector;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryUpdateEmitter;

import java.util.function.BooleanSupplier;

/** Keeps the directory entry of every customer, in one version of the directory. */
class DirectoryProjection implements BatchedProjection {

    private final DirectoryLogic logic;
    private final CustomerProjector<DirectoryState> projector;

    DirectoryProjection(ProjectionVersion version, CustomerProjector.Store<DirectoryState> states, FxRates fx,
                        ReadModelVersions versions, QueryUpdateEmitter updateEmitter, BooleanSupplier live) {
        this.logic = new DirectoryLogic(fx);
        this.projector = new CustomerProjector<>(version, states, versions, updateEmitter, live);
    }

    @EventHandler
    void on(CustomerEvent event, EventMessage<?> message, @SequenceNumber long sequence) {
        projector.project(message, sequence, (state, envelope, batch) -> logic.apply(state, envelope));
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
