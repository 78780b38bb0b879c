package io.crmhistory.query.projection;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import org.bson.codecs.Codec;
import org.bson.codecs.configuration.CodecRegistries;
import org.bson.codecs.pojo.annotations.BsonId;
import org.springframework.dao.DataAccessException;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.util.Arrays;

/**
 * A read-model collection written through the driver with the codec of its documents' type, the driver's record codec
 * unless one is given: the same documents Spring Data's converter writes (checked field for field in
 * {@code DriverWrittenDocumentsTest} and {@code HistoryEntryCodecTest}), without its intermediate document, query
 * mapping and events per document, which were a quarter of a history rebuild's projection thread (session 52). Reads
 * stay with Spring Data, which also accepts documents written before a field was kept (the record codec refuses a
 * document that lacks a primitive component), except history pages, whose codec reads every stored shape
 * ({@link SideDocuments#find}). Ids are strings, as Spring Data keeps them here
 * ({@code StringIdConverter}).
 */
final class TypedCollection<D> {

    /** MongoDB's error code for a write a unique index refused. */
    static final int DUPLICATE_KEY = 11000;

    private final MongoTemplate mongo;
    private final String name;
    private final Class<D> type;
    private final Codec<D> codec;
    private volatile MongoCollection<D> collection;

    /** @param codec the documents' codec, or {@code null} for the driver's record codec */
    TypedCollection(MongoTemplate mongo, String name, Class<D> type, Codec<D> codec) {
        if (codec == null) {
            requireBsonId(type);
        }
        this.mongo = mongo;
        this.name = name;
        this.type = type;
        this.codec = codec;
    }

    /**
     * The record codec writes a component named {@code id} as a field {@code id} unless it is marked: the server
     * would then add an {@code _id} of its own, and replacements by id would match nothing.
     */
    private static void requireBsonId(Class<?> type) {
        // The annotation lands on the record's field (BsonId does not target record components).
        boolean marked = type.isRecord() && Arrays.stream(type.getDeclaredFields())
                .anyMatch(field -> field.getName().equals("id") && field.isAnnotationPresent(BsonId.class));
        if (!marked) {
            throw new IllegalArgumentException(type.getName() + " must be a record whose id is marked @BsonId");
        }
    }

    Class<D> type() {
        return type;
    }

    MongoCollection<D> get() {
        MongoCollection<D> current = collection;
        if (current == null) {
            current = mongo.getCollection(name).withDocumentClass(type);
            if (codec != null) {
                current = current.withCodecRegistry(CodecRegistries.fromRegistries(
                        CodecRegistries.fromCodecs(codec), current.getCodecRegistry()));
            }
            collection = current;
        }
        return current;
    }

    /** The refusal as Spring Data's bulk writes report it, so that callers see the same exceptions as before. */
    static BulkOperationException refused(MongoBulkWriteException refusal) {
        return new BulkOperationException(refusal.getMessage(), refusal);
    }

    /** The driver's exception as Spring Data's, as {@link MongoTemplate} translates it. */
    RuntimeException translated(MongoException e) {
        DataAccessException translated = mongo.getExceptionTranslator().translateExceptionIfPossible(e);
        return translated != null ? translated : e;
    }
}
