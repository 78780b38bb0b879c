package io.crmhistory.query.projection;

import io.crmhistory.platform.concurrent.DaemonThreads;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A read model's documents beside its states (history items, segment changes), inserted through the driver
 * ({@link TypedCollection}). They are new but for a batch delivered again (after a write or its commit failed), whose
 * documents may be stored already, with the same ids and contents: those the collection refuses as duplicates are
 * left as they are. Inserting instead of upserting by id spares the embedded server a search of the collection per
 * document. Only refusals of documents whose id is stored are ignored: a unique index on another field refusing one
 * fails the write.
 * <p>
 * A batch may also hand documents over before its end ({@link #insertBeside}): one writer thread per collection
 * encodes and sends them, in the order handed over, while the projection thread goes on with the batch's next events.
 */
public final class SideDocuments<D> {

    private static final InsertManyOptions UNORDERED = new InsertManyOptions().ordered(false);
    /** How long the writer thread waits for more work before it ends; the next hand-over starts another. */
    private static final long WRITER_IDLE_SECONDS = 10;

    private final TypedCollection<D> collection;
    private final Function<D, String> idOf;
    /**
     * At most one thread, started on demand and ended when idle, so that a version dropped or never rebuilt keeps
     * none; its queue keeps the hand-overs in order.
     */
    private final ExecutorService writer;

    private SideDocuments(TypedCollection<D> collection, String name, Function<D, String> idOf) {
        this.collection = collection;
        this.idOf = idOf;
        this.writer = new ThreadPoolExecutor(0, 1, WRITER_IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.named("side-documents-" + name));
    }

    /** Documents written with the driver's record codec: a record whose {@code id} is marked {@code @BsonId}. */
    public static <D> SideDocuments<D> of(MongoTemplate mongo, String name, Class<D> type, Function<D, String> idOf) {
        return new SideDocuments<>(new TypedCollection<>(mongo, name, type, null), name, idOf);
    }

    /** Documents written with {@code codec}. */
    public static <D> SideDocuments<D> encodedBy(MongoTemplate mongo, String name, Codec<D> codec,
                                                 Function<D, String> idOf) {
        return new SideDocuments<>(new TypedCollection<>(mongo, name, codec.getEncoderClass(), codec), name, idOf);
    }

    /**
     * The documents {@code query} finds, in its order, at most {@code limit}, decoded by the collection's codec rather
     * than Spring Data's mapping. Only for a codec that reads every shape the collection holds ({@code
     * HistoryEntryCodec}); the record codec refuses a document that lacks a primitive component. The query must need
     * no mapping (field names as stored; strings, dates, lists of them), as Spring Data would send it unchanged.
     */
    public List<D> find(Query query, int limit) {
        try {
            return collection.get().find(query.getQueryObject()).sort(query.getSortObject()).limit(limit)
                    .into(new ArrayList<>(limit));
        } catch (MongoException e) {
            throw collection.translated(e);
        }
    }

    /** Inserts these documents, each of this collection's type; those stored already with their ids are kept. */
    public void insert(List<?> documents) {
        if (documents.isEmpty()) {
            return;
        }
        List<D> typed = documents.stream().map(collection.type()::cast).toList();
        try {
            collection.get().insertMany(typed, UNORDERED);
        } catch (MongoBulkWriteException e) {
            requireStoredAlready(typed, e);
        } catch (MongoException e) {
            throw collection.translated(e);
        }
    }

    /**
     * {@link #insert}s these documents on the collection's writer thread, after those handed over before; the future
     * completes once they are stored, or with the failure {@link #insert} would have thrown.
     */
    public CompletableFuture<Void> insertBeside(List<?> documents) {
        List<?> handedOver = List.copyOf(documents);
        return CompletableFuture.runAsync(() -> insert(handedOver), writer);
    }

    /** Deletes the documents of these ids, those there are. */
    public void delete(Collection<String> ids) {
        try {
            collection.get().deleteMany(Filters.in("_id", ids));
        } catch (MongoException e) {
            throw collection.translated(e);
        }
    }

    private void requireStoredAlready(List<D> documents, MongoBulkWriteException refusal) {
        List<BulkWriteError> errors = refusal.getWriteErrors();
        if (errors.isEmpty() || errors.stream().anyMatch(error -> error.getCode() != TypedCollection.DUPLICATE_KEY)) {
            throw TypedCollection.refused(refusal);
        }
        List<String> refusedIds = errors.stream().map(error -> idOf.apply(documents.get(error.getIndex())))
                .distinct().toList();
        if (storedAmong(refusedIds) != refusedIds.size()) {
            throw TypedCollection.refused(refusal);
        }
    }

    /**
     * How many of these ids are stored, found by id. Not the driver's {@code countDocuments}: that is an aggregation,
     * which the embedded server answers by reading and copying the whole collection (every history item, when a batch
     * is delivered again after a crash).
     */
    private long storedAmong(List<String> ids) {
        try {
            return collection.get().withDocumentClass(Document.class).find(Filters.in("_id", ids))
                    .projection(Projections.include("_id")).into(new ArrayList<>(ids.size())).size();
        } catch (MongoException e) {
            throw collection.translated(e);
        }
    }
}
