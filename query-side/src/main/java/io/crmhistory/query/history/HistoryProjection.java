package io.crmhistory.query.history;

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

/** Turns every customer event into a timeline item. */
@Component
@ProcessingGroup(Projections.HISTORY)
class HistoryProjection {

    private final HistoryStore store;
    private final FxRates fx;
    private final CustomerProjector<HistoryState> projector;

    HistoryProjection(HistoryStore store, FxRates fx, ReadModelVersions versions, QueryUpdateEmitter updateEmitter) {
        this.store = store;
        this.fx = fx;
        this.projector = new CustomerProjector<>(Projections.HISTORY, store.states(), versions, updateEmitter);
    }

    @EventHandler
    void on(CustomerEvent event, EventMessage<?> message, @SequenceNumber long sequence) {
        projector.project(message, sequence, (state, envelope, batch) -> {
            HistoryState after = HistoryLogic.apply(state, envelope);
            batch.addSideDocument(HistoryLogic.entry(after, envelope, fx));
            return after;
        });
    }

    @ResetHandler
    void reset() {
        store.states().clear();
    }
}
