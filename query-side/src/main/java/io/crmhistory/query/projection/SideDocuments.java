package io.crmhistory.query.projection;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A read model's documents beside its states (history items, segment changes), inserted through the driver
 * ({@link TypedCollection}). They are new but for a batch delivered again (after a write or its commit failed), whose
 * documents may be stored already, with the same ids and contents: those the collection refuses as duplicates are
 * left as they are. Inserting instead of upserting by id spares the embedded server a search of the collection per
 * document. Only refusals of documents whose id is stored are ignored: a unique index on another field refusing one
 * fails the write.
 */
public final class SideDocuments<D> {

    private static final InsertManyOptions ORDERED = new InsertManyOptions().ordered(true);

    private final TypedCollection<D> collection;
    private final Function<D, String> idOf;

    private SideDocuments(TypedCollection<D> collection, Function<D, String> idOf) {
        this.collection = collection;
        this.idOf = idOf;
    }

    /** Documents written with the driver's record codec: a record whose {@code id} is marked {@code @BsonId}. */
    public static <D> SideDocuments<D> of(MongoTemplate mongo, String name, Class<D> type, Function<D, String> idOf) {
        return new SideDocuments<>(new TypedCollection<>(mongo, name, type, null), idOf);
    }

    /** Documents written with {@code codec}. */
    public static <D> SideDocuments<D> encodedBy(MongoTemplate mongo, String name, Codec<D> codec,
                                                 Function<D, String> idOf) {
        return new SideDocuments<>(new TypedCollection<>(mongo, name, codec.getEncoderClass(), codec),
                idOf);
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

    /**
     * Inserts these documents, each of this collection's type, in their order; those stored already with their ids are
     * kept. In order so that a reader who finds one finds every one before it (a customer's history items come in
     * their events' order: the item of the version a reader waits for proves the earlier ones written). An ordered
     * insert stops at its first refusal; the documents after it that are not stored yet are then inserted again, one
     * query to find which (only a batch delivered again meets stored ones).
     */
    public void insert(List<?> documents) {
        List<D> rest = documents.stream().map(collection.type()::cast).toList();
        while (!rest.isEmpty()) {
            try {
                collection.get().insertMany(rest, ORDERED);
                return;
            } catch (MongoBulkWriteException e) {
                rest = notStoredAfterRefusal(rest, e);
            } catch (MongoException e) {
                throw collection.translated(e);
            }
        }
    }

    /** Deletes the documents of these ids, those there are. */
    public void delete(Collection<String> ids) {
        try {
            collection.get().deleteMany(Filters.in("_id", ids));
        } catch (MongoException e) {
            throw collection.translated(e);
        }
    }

    /**
     * The documents after the one an ordered insert refused that are not stored yet, provided the refused one is stored
     * under its id (a duplicate of it); any other refusal fails the write.
     */
    private List<D> notStoredAfterRefusal(List<D> documents, MongoBulkWriteException refusal) {
        List<BulkWriteError> errors = refusal.getWriteErrors();
        if (errors.size() != 1 || errors.get(0).getCode() != TypedCollection.DUPLICATE_KEY) {
            throw TypedCollection.refused(refusal);
        }
        int refused = errors.get(0).getIndex();
        List<D> after = documents.subList(refused, documents.size());
        Set<String> stored = new HashSet<>();
        try {
            collection.get().withDocumentClass(Document.class)
                    .find(Filters.in("_id", after.stream().map(idOf).toList()))
                    .projection(Projections.include("_id"))
                    .forEach(document -> stored.add(String.valueOf(document.get("_id"))));
        } catch (MongoException e) {
            throw collection.translated(e);
        }
        if (!stored.contains(idOf.apply(documents.get(refused)))) {
            throw TypedCollection.refused(refusal);
        }
        return after.stream().filter(document -> !stored.contains(idOf.apply(document))).toList();
    }
}
