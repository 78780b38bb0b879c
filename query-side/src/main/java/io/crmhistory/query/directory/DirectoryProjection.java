package io.crmhistory.query.directory;

import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.query.projection.CustomerProjector;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.stereotype.Component;

/** Keeps the directory entry of every customer. */
@Component
@ProcessingGroup(Projections.DIRECTORY)
class DirectoryProjection {

    private final DirectoryStore store;
    private final DirectoryLogic logic;
    private final CustomerProjector<DirectoryState> projector;

    DirectoryProjection(DirectoryStore store, FxRates fx, ReadModelVersions versions, QueryUpdateEmitter updateEmitter) {
        this.store = store;
        this.logic = new DirectoryLogic(fx);
        this.projector = new CustomerProjector<>(Projections.DIRECTORY, store.states(), versions, updateEmitter);
    }

    @EventHandler
    void on(CustomerEvent event, EventMessage<?> message, @SequenceNumber long sequence) {
        projector.project(message, sequence, (state, envelope, batch) -> logic.apply(state, envelope));
    }

    @ResetHandler
    void reset() {
        store.states().clear();
    }
}
