package io.crmhistory.query.projection;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import org.bson.BsonDocument;
import org.bson.BsonDocumentWriter;
import org.bson.BsonObjectId;
import org.bson.BsonReader;
import org.bson.BsonWriter;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistries;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;
import org.springframework.dao.DataAccessException;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.util.Arrays;
import java.util.function.Function;

/**
 * A read-model collection written through the driver with the codec of its documents' type, the driver's record codec
 * unless one is given: the same documents Spring Data's converter writes (checked field for field in
 * {@code DriverWrittenDocumentsTest} and {@code HistoryEntryCodecTest}), without its intermediate document, query
 * mapping and events per document, which were a quarter of a history rebuild's projection thread (session 52). Reads
 * stay with Spring Data, which also accepts documents written before a field was kept (the record codec refuses a
 * document that lacks a primitive component).
 * <p>
 * Spring Data stores a string id that reads as an ObjectId (24 hexadecimal digits, a customer id a client may choose)
 * as an ObjectId, and its queries look for it so: such an id is written the same way here ({@link #storedId}).
 */
final class TypedCollection<D> {

    /** MongoDB's error code for a write a unique index refused. */
    static final int DUPLICATE_KEY = 11000;

    private final MongoTemplate mongo;
    private final String name;
    private final Class<D> type;
    private final Function<D, String> idOf;
    private final Codec<D> codec;
    private volatile MongoCollection<D> collection;

    /** @param codec the documents' codec, or {@code null} for the driver's record codec */
    TypedCollection(MongoTemplate mongo, String name, Class<D> type, Function<D, String> idOf, Codec<D> codec) {
        if (codec == null) {
            requireBsonId(type);
        }
        this.mongo = mongo;
        this.name = name;
        this.type = type;
        this.idOf = idOf;
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

    /** The id as Spring Data stores it: an ObjectId if it reads as one, else the string. */
    static Object storedId(String id) {
        return ObjectId.isValid(id) ? new ObjectId(id) : id;
    }

    Class<D> type() {
        return type;
    }

    MongoCollection<D> get() {
        MongoCollection<D> current = collection;
        if (current == null) {
            MongoCollection<D> plain = mongo.getCollection(name).withDocumentClass(type);
            Codec<D> encoder = codec != null ? codec : plain.getCodecRegistry().get(type);
            current = plain.withCodecRegistry(CodecRegistries.fromRegistries(
                    CodecRegistries.fromCodecs(new StoredIds(encoder)), plain.getCodecRegistry()));
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

    /** Writes a document whose id reads as an ObjectId with an ObjectId id, as Spring Data does; others as they are. */
    private final class StoredIds implements Codec<D> {

        private final Codec<D> encoder;

        StoredIds(Codec<D> encoder) {
            this.encoder = encoder;
        }

        @Override
        public void encode(BsonWriter writer, D value, EncoderContext context) {
            String id = idOf.apply(value);
            if (!ObjectId.isValid(id)) {
                encoder.encode(writer, value, context);
                return;
            }
            BsonDocument document = new BsonDocument();
            encoder.encode(new BsonDocumentWriter(document), value, context);
            document.put("_id", new BsonObjectId(new ObjectId(id)));
            new BsonDocumentCodec().encode(writer, document, context);
        }

        @Override
        public D decode(BsonReader reader, DecoderContext context) {
            return encoder.decode(reader, context);
        }

        @Override
        public Class<D> getEncoderClass() {
            return type;
        }
    }
}
