package io.crmhistory.embeddedmongo;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

/**
 * The value type of the embedded server's document maps: documents stored as BSON, the format the server
 * received them in, so they come back exactly as they went in. H2's default type would Java-serialize each
 * document (class descriptors, a new object stream per document), which took more CPU than the projections.
 */
final class DocumentType extends BasicDataType<Document> {

    static final DocumentType INSTANCE = new DocumentType();

    /** Rough per-entry overhead in memory, for H2's cache accounting and page splitting. */
    private static final int ENTRY_OVERHEAD = 48;

    private DocumentType() {
    }

    @Override
    public int getMemory(Document document) {
        return estimate(document);
    }

    @Override
    public void write(WriteBuffer buffer, Document document) {
        LengthPrefixedBson.write(buffer, bson -> BsonEncoder.encodeDocument(document, bson));
    }

    @Override
    public Document read(ByteBuffer buffer) {
        return BsonDecoder.decodeBson(LengthPrefixedBson.read(buffer));
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }

    /** Heap bytes of a value as decoded, roughly: what H2 weighs pages by (and splits them at). */
    static int estimate(Object value) {
        if (value instanceof Map<?, ?> map) {
            int size = ENTRY_OVERHEAD;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                size += ENTRY_OVERHEAD + 2 * String.valueOf(entry.getKey()).length() + estimate(entry.getValue());
            }
            return size;
        }
        if (value instanceof Collection<?> values) {
            int size = ENTRY_OVERHEAD;
            for (Object element : values) {
                size += estimate(element);
            }
            return size;
        }
        if (value instanceof CharSequence text) {
            return ENTRY_OVERHEAD + 2 * text.length();
        }
        return ENTRY_OVERHEAD;
    }
}
