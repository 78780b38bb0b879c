package io.crmhistory.query.history;

import io.crmhistory.api.customer.event.CustomerEvent;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
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
import java.util.function.Consumer;

/** Turns every customer event into a timeline item, in one version of the history. */
class HistoryProjection implements BatchedProjection {

    private final HistoryStore store;
    private final FxRates fx;
    private final Consumer<String> forgetRevealedCopies;
    private final CustomerProjector<HistoryState> projector;

    HistoryProjection(ProjectionVersion version, HistoryStore store, FxRates fx, ReadModelVersions versions,
                      QueryUpdateEmitter updateEmitter, Consumer<String> forgetRevealedCopies, BooleanSupplier live) {
        this.store = store;
        this.forgetRevealedCopies = forgetRevealedCopies;
        this.fx = fx;
        this.projector = new CustomerProjector<>(version, store.states(), versions, updateEmitter, live);
    }

    @EventHandler
    void on(CustomerEvent event, EventMessage<?> message, @SequenceNumber long sequence) {
        if (event instanceof CustomerPersonalDataErased) {
            // Items of this customer still pending in the batch are written first, then every item
            // loses its personal fields; replaying this is harmless (the scrub is idempotent).
            projector.flush();
            store.erasePersonalData(event.customerId());
            forgetRevealedCopies.accept(event.customerId());
        }
        projector.project(message, sequence, (state, envelope, batch) -> {
            HistoryState after = HistoryLogic.apply(state, envelope);
            batch.addSideDocument(HistoryLogic.entry(after, envelope, fx));
            return after;
        });
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
