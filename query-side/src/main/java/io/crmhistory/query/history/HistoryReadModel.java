package io.crmhistory.query.history;

import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModel;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/** The interaction history: its versions' stores, and the projection that fills each. */
@Component
class HistoryReadModel extends ReadModel<HistoryStore> {

    private static final Logger log = LoggerFactory.getLogger(HistoryReadModel.class);

    private final FxRates fx;
    private final ReadModelVersions versions;
    private final QueryUpdateEmitter updateEmitter;
    private final PersonalDataProtector protector;

    HistoryReadModel(ProjectionCatalog catalog, MongoTemplate mongo, FxRates fx, ReadModelVersions versions,
                     QueryUpdateEmitter updateEmitter, PersonalDataProtector protector) {
        super(Projections.HISTORY, catalog, mongo);
        this.fx = fx;
        this.versions = versions;
        this.updateEmitter = updateEmitter;
        this.protector = protector;
    }

    @Override
    public Object handlerFor(ProjectionVersion version) {
        return new HistoryProjection(version, store(version), fx, versions, updateEmitter, protector,
                () -> isLive(version));
    }

    /**
     * An erasure queued behind the customer's dead letters scrubs the items now, as {@link HistoryProjection} does
     * when it handles the erasure: its subjects, notes and contact details would otherwise stay readable until ops
     * retry the sequence. The scrub is idempotent, so the erasure handled later in order does it again harmlessly.
     */
    @Override
    public void heldBehindDeadLetters(ProjectionVersion version, EventMessage<?> event) {
        // by type first: the payload of a held-back event is not read otherwise (it may be what failed)
        if (CustomerPersonalDataErased.class.equals(event.getPayloadType())
                && event.getPayload() instanceof CustomerPersonalDataErased erased) {
            store(version).erasePersonalData(erased.customerId());
            protector.evict(erased.customerId());
            log.info("Personal data of customer {} erased from history v{} ahead of the customer's dead letters, "
                    + "which hold the erasure back", erased.customerId(), version.version());
        }
    }

    @Override
    protected HistoryStore open(ProjectionVersion version) {
        return new HistoryStore(mongo(), version);
    }
}
