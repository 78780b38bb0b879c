package io.crmhistory.query.history;

import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.platform.privacy.PersonalDataProtector;
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
    private final PersonalDataProtector protector;
    private final CustomerProjector<HistoryState> projector;

    HistoryProjection(HistoryStore store, FxRates fx, ReadModelVersions versions, QueryUpdateEmitter updateEmitter,
                      PersonalDataProtector protector) {
        this.store = store;
        this.protector = protector;
        this.fx = fx;
        this.projector = new CustomerProjector<>(Projections.HISTORY, store.states(), versions, updateEmitter);
    }

    @EventHandler
    void on(CustomerEvent event, EventMessage<?> message, @SequenceNumber long sequence) {
        if (event instanceof CustomerPersonalDataErased) {
            // Items of this customer still pending in the batch are written first, then every item
            // loses its personal fields; replaying this is harmless (the scrub is idempotent).
            projector.flush();
            store.erasePersonalData(event.customerId());
            protector.evict(event.customerId());
        }
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
