package io.crmhistory.query.directory;

import io.crmhistory.query.privacy.PersonalDataUse;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModel;
import io.crmhistory.query.projection.ReadModelIndexes;
import io.crmhistory.query.projection.ReadModelVersions;
import io.crmhistory.query.segment.SegmentMembership;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/** The customer directory: its versions' stores, and the projection that fills each. */
@Component
class DirectoryReadModel extends ReadModel<DirectoryStore> {

    private final FxRates fx;
    private final ReadModelVersions versions;
    private final QueryUpdateEmitter updateEmitter;
    private final ReadModelIndexes indexes;
    private final SegmentMembership segments;
    private final ObjectProvider<ProjectionProcessors> processors;
    /** Where customers whose entries may carry a replaced segment version's segment go ({@link DirectorySegments}). */
    private volatile Consumer<Collection<String>> segmentsToRefresh = customerIds -> { };

    DirectoryReadModel(ProjectionCatalog catalog, MongoTemplate mongo, FxRates fx, ReadModelVersions versions,
                       QueryUpdateEmitter updateEmitter, ReadModelIndexes indexes, SegmentMembership segments,
                       ObjectProvider<ProjectionProcessors> processors) {
        super(Projections.DIRECTORY, catalog, mongo);
        this.processors = processors;
        this.indexes = indexes;
        this.segments = segments;
        this.fx = fx;
        this.versions = versions;
        this.updateEmitter = updateEmitter;
    }

    /** Names, emails and phones are listed and searched; a contact's words never are. */
    @Override
    public PersonalDataUse personalDataUse() {
        return PersonalDataUse.PROFILE;
    }

    @Override
    public Object handlerFor(ProjectionVersion version) {
        SegmentSeededStates states = new SegmentSeededStates(store(version).states(), segments::liveSegmentsOf,
                segments::liveVersion, customerIds -> segmentsToRefresh.accept(customerIds),
                this::segmentsAssessedElsewhere);
        return new DirectoryProjection(version, states, fx, versions, updateEmitter, () -> isLive(version));
    }

    /** Whether the live segment processor holds no segment of the stream here (another instance processes it). */
    private boolean segmentsAssessedElsewhere() {
        return processors.getObject().live(Projections.SEGMENT)
                .map(running -> running.processor().processingStatus().isEmpty()).orElse(true);
    }

    /** Where the projections hand customers whose segment must be read again ({@link SegmentSeededStates}). */
    void refreshSegmentsWith(Consumer<Collection<String>> refresh) {
        this.segmentsToRefresh = refresh;
    }

    /**
     * Sets fields that are kept beside the events' figures (segment, forecast) on existing entries of the live
     * version and of one being rebuilt, so a rebuilt version goes live with them. Never creates an entry.
     */
    void setOnEntries(Map<String, Update> updates) {
        if (updates.isEmpty()) {
            return;
        }
        for (DirectoryStore store : storesInUse()) {
            store.states().betweenBatches(() -> update(store, updates));
        }
    }

    /**
     * Sets each entry's segment, in the live version and one being rebuilt, where it differs from the stored one.
     * Most refreshes name customers whose segment did not change (a batch of their events, a full refresh after a
     * start): those entries are left alone, and so are the states the projection remembers of them
     * ({@link io.crmhistory.query.projection.MongoStateStore#forget}), which an update must drop and the next batch
     * of that customer then reads back. Never creates an entry.
     */
    void setSegments(Map<String, String> segmentOf) {
        if (segmentOf.isEmpty()) {
            return;
        }
        for (DirectoryStore store : storesInUse()) {
            store.states().betweenBatches(() -> {
                Map<String, String> stored = store.segmentsOf(segmentOf.keySet());
                Map<String, Update> updates = new HashMap<>();
                stored.forEach((customerId, segment) -> {
                    String current = segmentOf.get(customerId);
                    if (!Objects.equals(current, segment)) {
                        updates.put(customerId, new Update().set(DirectoryStore.SEGMENT, current));
                    }
                });
                return update(store, updates);
            });
        }
    }

    /**
     * Call it between the projection's batches ({@link io.crmhistory.query.projection.MongoStateStore#betweenBatches}):
     * a batch that loaded an entry before this update would otherwise put back the old segment or forecast with it.
     *
     * @return how many entries were updated
     */
    private static int update(DirectoryStore store, Map<String, Update> updates) {
        if (updates.isEmpty()) {
            return 0;
        }
        BulkOperations bulk = store.bulk();
        updates.forEach((customerId, update) -> bulk.updateOne(Query.query(Criteria.where("_id").is(customerId)),
                update));
        bulk.execute();
        store.states().forget(updates.keySet());
        return updates.size();
    }

    /**
     * The entry's name, email and phone cleared as {@link DirectoryLogic} does when it handles the erasure (readable and
     * searchable otherwise until ops retry the sequence); the held events reveal nothing when retried.
     */
    @Override
    protected boolean erasePersonalDataAhead(ProjectionVersion version, String customerId) {
        DirectoryStore store = store(version);
        store.states().betweenBatches(() -> {
            store.erasePersonalData(customerId);
            return null;
        });
        return true;
    }

    @Override
    protected DirectoryStore open(ProjectionVersion version) {
        return new DirectoryStore(mongo(), version, indexes);
    }
}
