package io.crmhistory.query.value;

import io.crmhistory.query.privacy.PersonalDataUse;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModel;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/** The value read model: its versions' stores, and the projection that fills each. */
@Component
class ValueReadModel extends ReadModel<ValueStore> {

    private final ReadModelVersions versions;
    private final QueryUpdateEmitter updateEmitter;

    ValueReadModel(ProjectionCatalog catalog, MongoTemplate mongo, ReadModelVersions versions,
                   QueryUpdateEmitter updateEmitter) {
        super(Projections.VALUE, catalog, mongo);
        this.versions = versions;
        this.updateEmitter = updateEmitter;
    }

    /** A customer's value is its purchases and refunds and when it was last in contact: no personal field. */
    @Override
    public PersonalDataUse personalDataUse() {
        return PersonalDataUse.NONE;
    }

    @Override
    public Object handlerFor(ProjectionVersion version) {
        return new ValueProjection(version, store(version), versions, updateEmitter, () -> isLive(version));
    }

    @Override
    protected ValueStore open(ProjectionVersion version) {
        return new ValueStore(mongo(), version);
    }
}
