package io.crmhistory.query.history;

import io.crmhistory.platform.privacy.PersonalDataProtector;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModel;
import io.crmhistory.query.projection.ReadModelVersions;
import io.crmhistory.query.privacy.ErasureProjected;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/** The interaction history: its versions' stores, and the projection that fills each. */
@Component
class HistoryReadModel extends ReadModel<HistoryStore> {

    private final FxRates fx;
    private final ReadModelVersions versions;
    private final QueryUpdateEmitter updateEmitter;
    private final PersonalDataProtector protector;
    private final ApplicationEventPublisher events;

    HistoryReadModel(ProjectionCatalog catalog, MongoTemplate mongo, FxRates fx, ReadModelVersions versions,
                     QueryUpdateEmitter updateEmitter, PersonalDataProtector protector, ApplicationEventPublisher events) {
        super(Projections.HISTORY, catalog, mongo);
        this.fx = fx;
        this.versions = versions;
        this.updateEmitter = updateEmitter;
        this.protector = protector;
        this.events = events;
    }

    @Override
    public Object handlerFor(ProjectionVersion version) {
        return new HistoryProjection(version, store(version), fx, versions, updateEmitter, this::forgetRevealedCopies,
                () -> isLive(version));
    }

    /** The key this process may still hold, and every revealed copy in memory (the auditors' kept as-of streams). */
    private void forgetRevealedCopies(String customerId) {
        protector.evict(customerId);
        events.publishEvent(new ErasureProjected(customerId));
    }

    /**
     * The items' subjects, notes and contact details scrubbed as {@link HistoryProjection} does when it handles the
     * erasure; idempotent, so the erasure handled later in order does it again harmlessly.
     */
    @Override
    protected boolean erasePersonalDataAhead(ProjectionVersion version, String customerId) {
        store(version).erasePersonalData(customerId);
        forgetRevealedCopies(customerId);
        return true;
    }

    @Override
    protected HistoryStore open(ProjectionVersion version) {
        return new HistoryStore(mongo(), version);
    }
}
