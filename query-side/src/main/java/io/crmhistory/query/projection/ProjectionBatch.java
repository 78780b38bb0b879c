package io.crmhistory.query.projection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * What one batch of events did to one read model: the customers' states as loaded and as changed, and
 * side documents to upsert (history items, segment changes). Written in one bulk write per collection, the side
 * documents before the states ({@link MongoStateStore#write}).
 */
public final class ProjectionBatch<S extends SequencedState> {

    /** The states loaded, by customer; {@code null} for a customer asked for who has none yet. */
    private final Map<String, S> loaded = new HashMap<>();
    private final Map<String, S> changed = new LinkedHashMap<>();
    /** Those not handed over to be written yet. */
    private final List<Object> sideDocuments = new ArrayList<>();
    private final List<CompletableFuture<Void>> handedOver = new ArrayList<>();
    private final List<Superseded> supersededSideDocuments = new ArrayList<>();
    private final boolean mayRepeatAnUnfinishedBatch;

    ProjectionBatch() {
        this(false);
    }

    /** @param mayRepeatAnUnfinishedBatch see {@link #mayRepeatAnUnfinishedBatch()} */
    ProjectionBatch(boolean mayRepeatAnUnfinishedBatch) {
        this.mayRepeatAnUnfinishedBatch = mayRepeatAnUnfinishedBatch;
    }

    /**
     * Whether some of these events may have been handled before by a batch that wrote its side documents and not its
     * states (a crash or failed write in between): such a batch is redelivered, and side documents it made from
     * something other than the events (the clock) may differ now ({@link #supersede}).
     */
    public boolean mayRepeatAnUnfinishedBatch() {
        return mayRepeatAnUnfinishedBatch;
    }

    /** @param states the states found of the customers {@code asked} for */
    void loaded(Collection<String> asked, Map<String, S> states) {
        asked.forEach(customerId -> loaded.put(customerId, states.get(customerId)));
    }

    boolean isLoaded(String customerId) {
        return loaded.containsKey(customerId) || changed.containsKey(customerId);
    }

    /** The customer's current state in this batch, or {@code null} when the read model has none yet. */
    public S state(String customerId) {
        S state = changed.get(customerId);
        return state != null ? state : loaded.get(customerId);
    }

    void put(S state) {
        changed.put(state.id(), state);
    }

    public void addSideDocument(Object document) {
        sideDocuments.add(document);
    }

    /**
     * Deletes the side document of this id, which an unfinished earlier delivery of the customer's event of this
     * sequence may have stored, before the batch writes its own: the document made now replaces it, or none does.
     * Left alone if the customer's stored state has the event by then (another instance took the segment over and
     * wrote it; this batch's states are then refused as overtaken).
     */
    public void supersede(String customerId, long sequence, String sideDocumentId) {
        supersededSideDocuments.add(new Superseded(customerId, sequence, sideDocumentId));
    }

    public List<Superseded> supersededSideDocuments() {
        return supersededSideDocuments;
    }

    /** A side document to delete before the batch's are written, made by the customer's event of this sequence. */
    public record Superseded(String customerId, long sequence, String id) {
    }

    public Collection<S> changedStates() {
        return changed.values();
    }

    /** The side documents not {@linkplain #handOver handed over}. */
    public List<Object> sideDocuments() {
        return sideDocuments;
    }

    /**
     * Gives the side documents added so far to {@code write}, which starts writing them, and keeps its completion for
     * the batch's end ({@link #awaitHandedOver}).
     */
    void handOver(Function<List<Object>, CompletableFuture<Void>> write) {
        handedOver.add(write.apply(List.copyOf(sideDocuments)));
        sideDocuments.clear();
    }

    /**
     * Waits until every side document handed over is stored, or its write failed: the first failure is thrown, as if
     * the batch had written them itself. Not interrupted: nothing of the batch may be written after they are.
     */
    void awaitHandedOver() {
        RuntimeException first = null;
        for (CompletableFuture<Void> write : handedOver) {
            try {
                write.join();
            } catch (CompletionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
        }
        handedOver.clear();
        if (first != null) {
            throw first;
        }
    }

    boolean isEmpty() {
        return changed.isEmpty() && sideDocuments.isEmpty() && handedOver.isEmpty()
                && supersededSideDocuments.isEmpty();
    }

    Map<String, Long> versions() {
        Map<String, Long> versions = new HashMap<>();
        changed.values().forEach(state -> versions.put(state.id(), state.lastSequence()));
        return versions;
    }
}
