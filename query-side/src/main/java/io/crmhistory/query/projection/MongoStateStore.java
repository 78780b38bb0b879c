package io.crmhistory.query.projection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Keeps a read model's customer states in one collection (the customer id is the document id) and its
 * side documents, if any, in another. States are replaced whole with upserts, side documents are inserted and a
 * duplicate of one already stored is ignored, so writing the same batch twice leaves the same documents. Unordered
 * bulk writes: the documents of one batch are independent of each other. Both are written through the driver with
 * its record codec ({@link TypedCollection}); states are read through Spring Data.
 * <p>
 * The store remembers the states it wrote last ({@value #REMEMBERED_STATES} of them), so that a batch loads from
 * the collection only the customers it has not written lately: a customer's events come close together in the
 * store (a registration, its purchases and contacts are imported and recorded around the same time), and reading
 * each batch's states back was about an eighth of the query side's CPU in a recorded import. That is sound because
 * the projection's own processor is the only writer of its states, with two exceptions that update documents in place and then {@link #forget} them
 * (the directory's segment and forecast, the segments' re-evaluation); and a processor that releases its segment
 * forgets everything ({@link #forgetAll}), since another instance may write while it does not hold it.
 * <p>
 * Those exceptions may run on another query-side instance than the processor (a daily re-evaluation claimed by a
 * standby, a value model fitted there), whose {@link #forget} cannot reach this instance's memory. So every forget
 * also counts the change in {@value #CHANGES_ELSEWHERE} (one document per states collection), and a batch begins by
 * comparing that count with the changes this instance made itself: if another instance changed documents meanwhile,
 * everything remembered is forgotten. One read per batch; with a single instance the counts always agree.
 */
public final class MongoStateStore<S extends SequencedState> implements CustomerProjector.Store<S> {

    /** Several times the customers of one batch (a live version's 500 events touch at most 500, a rebuild's 1,024). */
    static final int REMEMBERED_STATES = 10_000;
    static final String CHANGES_ELSEWHERE = "state_changes";
    /**
     * Side documents a batch hands over at a time when it writes them early: a quarter of a rebuild's batch, so the
     * writer thread encodes and sends one quarter while the projection thread folds the next.
     */
    static final int SIDE_DOCUMENTS_HANDED_OVER = 256;
    private static final Logger log = LoggerFactory.getLogger(MongoStateStore.class);
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    private final MongoTemplate mongo;
    private final Class<S> type;
    private final String collection;
    private final TypedCollection<S> states;
    private final SideDocuments<?> side;
    /** Whether a batch hands its side documents over before its end ({@link #sideDocumentsAdded}). */
    private final boolean sideDocumentsEarly;
    /**
     * Held by a projection batch from its first event until its states are written (or its unit of work ends), and
     * by every change made to the documents other than by {@link #write} ({@link #betweenBatches}): a batch keeps
     * the states it loaded at its first event, and a change written meanwhile (a segment re-evaluation, a directory
     * refresh) would be overwritten by the batch's stale copies. Within one instance; across instances the
     * conditional updates and replacements decide.
     */
    private final ReentrantLock batches = new ReentrantLock();
    /** Maintenance on the writing thread: no pool thread of its own on a two-core machine. */
    private final Cache<String, S> written = Caffeine.newBuilder().maximumSize(REMEMBERED_STATES)
            .executor(Runnable::run).build();
    /** The in-place changes counted when the store opened or a batch last began, and this instance's since then. */
    private long changesCounted;
    private long ownChangesSince;

    public MongoStateStore(MongoTemplate mongo, Class<S> type, String collection) {
        this(mongo, type, collection, null);
    }

    /** States and side documents; the batches write their side documents at their end. */
    public MongoStateStore(MongoTemplate mongo, Class<S> type, String collection, SideDocuments<?> side) {
        this(mongo, type, collection, side, false);
    }

    /**
     * @param sideDocumentsEarly whether a batch starts writing its side documents before its end, every {@value
     *                           #SIDE_DOCUMENTS_HANDED_OVER} of them: only for side documents the projection never reads
     *                           while it projects (it might otherwise find some of the batch's own, or not)
     */
    public MongoStateStore(MongoTemplate mongo, Class<S> type, String collection, SideDocuments<?> side,
                           boolean sideDocumentsEarly) {
        this.mongo = mongo;
        this.type = type;
        this.collection = collection;
        this.states = new TypedCollection<>(mongo, collection, type, null);
        this.side = side;
        this.sideDocumentsEarly = sideDocumentsEarly && side != null;
        rewriteObjectIds();
        this.changesCounted = changesCounted();
    }

    /**
     * Rewrites the states stored under an ObjectId with their id as a string. Until session 54 Spring Data stored a
     * customer id of 24 hexadecimal digits as an ObjectId; every id is a string now ({@code StringIdConverter}), and
     * a state left under the old type would be missed by every read and overwritten from nothing by the next event.
     * Runs when the store opens, before its projection loads a state. An insert the collection refuses as a duplicate
     * is a rewrite another instance (or an interrupted start) made already. Comparisons in MongoDB match values of
     * the bound's type only, so the query walks the ObjectIds of the id index and nothing else.
     */
    private void rewriteObjectIds() {
        com.mongodb.client.MongoCollection<Document> raw = mongo.getCollection(collection);
        for (Document state : raw.find(Filters.gte("_id", new ObjectId(new byte[12])))) {
            ObjectId stored = state.getObjectId("_id");
            state.put("_id", stored.toHexString());
            try {
                raw.insertOne(state);
            } catch (MongoWriteException e) {
                if (e.getError().getCode() != TypedCollection.DUPLICATE_KEY) {
                    throw states.translated(e);
                }
            }
            raw.deleteOne(Filters.eq("_id", stored));
            log.info("State of customer {} in {} now stored under its id as a string", state.get("_id"), collection);
        }
    }

    /** The states of these customers that exist: as this store wrote them last, else read from the collection. */
    @Override
    public Map<String, S> load(Collection<String> customerIds) {
        Map<String, S> states = new HashMap<>();
        List<String> notRemembered = new ArrayList<>();
        for (String customerId : customerIds) {
            S state = written.getIfPresent(customerId);
            if (state != null) {
                states.put(customerId, state);
            } else {
                notRemembered.add(customerId);
            }
        }
        states.putAll(loadStored(notRemembered));
        return states;
    }

    /** The states of these customers as the collection holds them now. */
    @Override
    public Map<String, S> loadStored(Collection<String> customerIds) {
        Map<String, S> states = new HashMap<>();
        if (customerIds.isEmpty()) {
            return states;
        }
        for (S state : mongo.find(Query.query(Criteria.where("_id").in(customerIds)), type, collection)) {
            states.put(state.id(), state);
        }
        return states;
    }

    @Override
    public void holdForBatch() {
        if (!batches.isHeldByCurrentThread()) {
            batches.lock();
            forgetAllIfChangedElsewhere();
        }
    }

    /** Under the batch lock, as every {@link #forget} of this instance is. */
    private void forgetAllIfChangedElsewhere() {
        long counted = changesCounted();
        if (counted - changesCounted > ownChangesSince) {
            written.invalidateAll();
        }
        changesCounted = counted;
        ownChangesSince = 0;
    }

    private long changesCounted() {
        Document counter = mongo.getCollection(CHANGES_ELSEWHERE).find(Filters.eq("_id", collection)).first();
        return counter == null ? 0 : counter.get("changes", Number.class).longValue();
    }

    @Override
    public void releaseAfterBatch() {
        while (batches.isHeldByCurrentThread()) {
            batches.unlock();
        }
    }

    /**
     * Runs a change of the documents made other than by {@link #write} between two projection batches, never while
     * one holds states it loaded before; {@code change} must {@link #forget} what it changed.
     */
    public <T> T betweenBatches(Supplier<T> change) {
        batches.lock();
        try {
            return change.get();
        } finally {
            batches.unlock();
        }
    }

    /**
     * Forgets these customers' remembered states: call it after changing their documents other than by {@link #write},
     * within {@link #betweenBatches}. Counted for the other instances' processors.
     */
    public void forget(Collection<String> customerIds) {
        written.invalidateAll(customerIds);
        mongo.getCollection(CHANGES_ELSEWHERE).updateOne(Filters.eq("_id", collection), Updates.inc("changes", 1L),
                new UpdateOptions().upsert(true));
        ownChangesSince++;
    }

    @Override
    public void forgetAll() {
        written.invalidateAll();
    }

    /**
     * A page of every customer's state in id order, after {@code afterId} ({@code null} for the first page). The
     * first page asks for ids from "" on rather than for everything: the embedded store then reads it from its id
     * index instead of sorting the whole collection (customer ids are non-empty strings).
     */
    public List<S> page(String afterId, int size) {
        return mongo.find(pageQuery(afterId, size), type, collection);
    }

    /**
     * Like {@link #page(String, int)}, but only the id and these fields of each state, as documents: for a reader of
     * a few fields of everyone, which would otherwise map every state whole (a customer's purchases, say) to drop it.
     */
    public List<Document> page(String afterId, int size, String... fields) {
        Query query = pageQuery(afterId, size);
        query.fields().include(fields);
        return mongo.find(query, Document.class, collection);
    }

    private static Query pageQuery(String afterId, int size) {
        Criteria ids = afterId == null ? Criteria.where("_id").gte("") : Criteria.where("_id").gt(afterId);
        return Query.query(ids).with(Sort.by("_id")).limit(size);
    }

    public Optional<S> find(String customerId) {
        return Optional.ofNullable(mongo.findById(customerId, type, collection));
    }

    /**
     * Hands the batch's side documents so far to the side collection's writer thread once there are {@value
     * #SIDE_DOCUMENTS_HANDED_OVER}, if this store writes them early: the projection thread folds the next events
     * while they are encoded, sent and stored (a history rebuild's thread spent about a third of its time encoding
     * its items, and then waited for the embedded server to store them). Not for a batch that may supersede side
     * documents: those must be deleted before any of the batch's are written.
     */
    @Override
    public void sideDocumentsAdded(ProjectionBatch<S> batch) {
        if (sideDocumentsEarly && !batch.mayRepeatAnUnfinishedBatch()
                && batch.sideDocuments().size() >= SIDE_DOCUMENTS_HANDED_OVER) {
            batch.handOver(side::insertBeside);
        }
    }

    /**
     * Writes the side documents first and the states after them. A state tells a redelivered batch which events to
     * skip, so it must never be stored ahead of the side documents its events made: written the other way round, a
     * crash between the two writes (or a commit of the embedded store between them, then a crash) would leave
     * history items and segment changes that no redelivery writes again. This way a redelivery finds the states
     * behind, applies the events again and writes the same side documents again (the stored ones are kept). Side
     * documents made from more than the events (a segment assessed at the clock's now) may come out differently the
     * second time: the batch names those it {@linkplain ProjectionBatch#supersede supersedes}, deleted first.
     * <p>
     * Remembers the changed states before writing them: a writer elsewhere updates a document first and forgets it
     * after, so its forget always comes after this; remembering after the write could put back a state older than
     * the document it had just updated. A write that fails forgets them again.
     * <p>
     * A state replaces only an older one ({@code lastSequence} lower): a writer that lost its claim to another
     * instance in the middle of a batch (a pause longer than the claim timeout) must not put back a state the other
     * one has already moved past, or that instance would later apply its next events on top of it and the events in
     * between would be lost for good. Such a replacement matches no document and its upsert is refused as a duplicate
     * id; the stale state is forgotten and the batch goes on (storing its token fails, as the claim is gone).
     */
    @Override
    public void write(ProjectionBatch<S> batch) {
        deleteSuperseded(batch.supersededSideDocuments());
        batch.awaitHandedOver();
        writeSideDocuments(batch.sideDocuments());
        List<S> changed = List.copyOf(batch.changedStates());
        if (!changed.isEmpty()) {
            List<ReplaceOneModel<S>> replacements = new ArrayList<>(changed.size());
            for (S state : changed) {
                written.put(state.id(), state);
                replacements.add(new ReplaceOneModel<>(olderThan(state), state, UPSERT));
            }
            try {
                states.get().bulkWrite(replacements, UNORDERED);
            } catch (MongoBulkWriteException e) {
                forgetOvertaken(changed, e);
            } catch (RuntimeException e) {
                changed.forEach(state -> written.invalidate(state.id()));
                throw e instanceof MongoException mongoException ? states.translated(mongoException) : e;
            }
        }
    }

    /** Deletes the superseded side documents of the customers whose stored states are still behind their events. */
    private void deleteSuperseded(List<ProjectionBatch.Superseded> superseded) {
        if (superseded.isEmpty()) {
            return;
        }
        Map<String, S> stored = loadStored(superseded.stream().map(ProjectionBatch.Superseded::customerId)
                .distinct().toList());
        List<String> ids = superseded.stream().filter(document -> !stored.containsKey(document.customerId())
                        || stored.get(document.customerId()).lastSequence() < document.sequence())
                .map(ProjectionBatch.Superseded::id).toList();
        if (!ids.isEmpty()) {
            requireSide().delete(ids);
        }
    }

    /** Accepts the refusals of states the collection holds newer ones of; any other refusal fails the write. */
    private void forgetOvertaken(List<S> changed, MongoBulkWriteException refusal) {
        List<BulkWriteError> errors = refusal.getWriteErrors();
        List<S> refused = errors.stream().map(error -> changed.get(error.getIndex())).toList();
        Map<String, S> stored = !errors.isEmpty()
                && errors.stream().allMatch(error -> error.getCode() == TypedCollection.DUPLICATE_KEY)
                ? loadStored(refused.stream().map(SequencedState::id).toList()) : Map.of();
        boolean overtaken = !refused.isEmpty() && refused.stream().allMatch(state -> stored.containsKey(state.id())
                && stored.get(state.id()).lastSequence() >= state.lastSequence());
        if (!overtaken) {
            changed.forEach(state -> written.invalidate(state.id()));
            throw TypedCollection.refused(refusal);
        }
        List<String> overtakenIds = refused.stream().map(SequencedState::id).toList();
        written.invalidateAll(overtakenIds);
        log.warn("{} state(s) of {} not written: another writer had stored newer ones ({}...)", overtakenIds.size(),
                collection, overtakenIds.get(0));
    }

    private static Bson olderThan(SequencedState state) {
        return Filters.and(Filters.eq("_id", state.id()),
                Filters.lt("lastSequence", state.lastSequence()));
    }

    /** Inserts documents into the side collection ({@link SideDocuments#insert}). */
    public void writeSideDocuments(List<?> documents) {
        if (documents.isEmpty()) {
            return;
        }
        requireSide().insert(documents);
    }

    private SideDocuments<?> requireSide() {
        if (side == null) {
            throw new IllegalStateException(collection + " keeps no side documents");
        }
        return side;
    }
}
