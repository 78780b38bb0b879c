package io.crmhistory.query.directory;

import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModel;
import io.crmhistory.query.projection.ReadModelVersions;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/** The customer directory: its versions' stores, and the projection that fills each. */
@Component
class DirectoryReadModel extends ReadModel<DirectoryStore> {

    private final FxRates fx;
    private final ReadModelVersions versions;
    private final QueryUpdateEmitter updateEmitter;

    DirectoryReadModel(ProjectionCatalog catalog, MongoTemplate mongo, FxRates fx, ReadModelVersions versions,
                       QueryUpdateEmitter updateEmitter) {
        super(Projections.DIRECTORY, catalog, mongo);
        this.fx = fx;
        this.versions = versions;
        this.updateEmitter = updateEmitter;
    }

    @Override
    public Object handlerFor(ProjectionVersion version) {
        return new DirectoryProjection(version, store(version), fx, versions, updateEmitter, () -> isLive(version));
    }

    @Override
    protected DirectoryStore open(ProjectionVersion version) {
        return new DirectoryStore(mongo(), version);
    }
}
