package io.crmhistory.query.projection;

import io.crmhistory.query.privacy.PersonalDataUse;
import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A read model with versions: opens the store of any version, answers reads from the live one (as the
 * {@link ProjectionCatalog} says, so a finished rebuild switches every read at once) and makes the event
 * handler that fills a given version.
 */
public abstract class ReadModel<S extends ReadModelStore> {

    private static final Logger log = LoggerFactory.getLogger(ReadModel.class);

    private final String name;
    private final ProjectionCatalog catalog;
    private final MongoTemplate mongo;
    private final Map<Integer, S> stores = new ConcurrentHashMap<>();

    protected ReadModel(String name, ProjectionCatalog catalog, MongoTemplate mongo) {
        this.name = name;
        this.catalog = catalog;
        this.mongo = mongo;
    }

    public final String name() {
        return name;
    }

    /** The store reads are answered from. */
    public final S live() {
        return store(liveVersion());
    }

    /**
     * The live store and, while a rebuild runs, the one being built: where figures kept beside the events'
     * (a directory entry's segment and forecast) are written, so a rebuilt version has them when it goes live.
     */
    public final java.util.List<S> storesInUse() {
        java.util.List<S> stores = new java.util.ArrayList<>();
        stores.add(live());
        catalog.entry(name).rebuildingVersion().map(this::store).ifPresent(stores::add);
        return stores;
    }

    public final ProjectionVersion liveVersion() {
        return new ProjectionVersion(name, catalog.live(name));
    }

    public final boolean isLive(ProjectionVersion version) {
        return catalog.live(name) == version.version();
    }

    /**
     * Whether {@code version} is live and every version it replaced is gone: dropped, which happens only once their
     * processors have stopped here and the retire grace ({@code crm.projections.retire-grace}) gave the other
     * instances time to stop theirs. Until then a replaced version may still be writing what only one version may.
     */
    public final boolean isLiveAlone(ProjectionVersion version) {
        ProjectionCatalog.Entry entry = catalog.entry(name);
        return entry.live() == version.version()
                && entry.retired().stream().noneMatch(retired -> retired.version() < version.version());
    }

    /** The store of {@code version}, opened (and its indexes created) on first use. */
    public final S store(ProjectionVersion version) {
        return stores.computeIfAbsent(version.version(), number -> open(version));
    }

    /**
     * Which personal fields of the events the handlers use (a name, an email, a contact's notes). When they read on
     * their own (a rebuild) the others are left out unread, which spares the keys' reads and the decryptions
     * ({@code PersonalDataViews}).
     */
    public PersonalDataUse personalDataUse() {
        return PersonalDataUse.ALL;
    }

    /**
     * Called when {@code event} is queued unhandled behind earlier dead letters of its customer (or is dead-lettered
     * itself) in {@code version}: it waits there until ops retry the sequence. An erasure is applied ahead of it
     * ({@link #erasePersonalDataAhead}), or the personal data would stay visible until then.
     */
    public final void heldBehindDeadLetters(ProjectionVersion version, EventMessage<?> event) {
        // by type first: the payload of a held-back event is not read otherwise (it may be what failed)
        if (CustomerPersonalDataErased.class.equals(event.getPayloadType())
                && event.getPayload() instanceof CustomerPersonalDataErased erased
                && erasePersonalDataAhead(version, erased.customerId())) {
            log.info("Personal data of customer {} erased from {} v{} ahead of the customer's dead letters, which hold "
                    + "the erasure back", erased.customerId(), name(), version.version());
            // The batch may still hold the customer's events from before the letter, applied with their personal
            // fields and written at its end (states, history items): scrubbed once more once the batch is written.
            CurrentUnitOfWork.ifStarted(batch -> batch.afterCommit(
                    written -> erasePersonalDataAhead(version, erased.customerId())));
        }
    }

    /**
     * Scrubs the customer's personal data from {@code version} as handling the erasure would, without moving the
     * customer's place in the stream (the events held back still apply when retried, the erasure last).
     *
     * @return whether this read model keeps personal data (nothing to do by default)
     */
    protected boolean erasePersonalDataAhead(ProjectionVersion version, String customerId) {
        return false;
    }

    /** The event handler that fills {@code version}; one per processor. */
    public abstract Object handlerFor(ProjectionVersion version);

    /**
     * Drops every collection of {@code version} with {@code dropCollection}: it was replaced by a rebuild, or its
     * rebuild was cancelled.
     */
    public final void drop(ProjectionVersion version, Consumer<String> dropCollection) {
        S store = stores.remove(version.version());
        // Only those that exist: a version may never have written one (a side collection), and the embedded
        // server logs a drop of a missing collection as an error.
        (store != null ? store : open(version)).collections().stream().filter(mongo::collectionExists)
                .forEach(dropCollection);
    }

    protected abstract S open(ProjectionVersion version);

    protected final MongoTemplate mongo() {
        return mongo;
    }
}
