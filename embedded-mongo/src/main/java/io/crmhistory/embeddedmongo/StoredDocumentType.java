package io.crmhistory.embeddedmongo;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;

/**
 * The value type of the embedded server's document maps: each document kept as its BSON bytes, in the file and in
 * the heap alike, and decoded only when the server reads that one document ({@link ReadModelCollection}).
 * <p>
 * H2 reads and writes whole pages. Kept decoded, every page read from the file decoded all of its documents (an
 * insert into a history rebuild's items reads a random page of a dozen to add one), every commit encoded every
 * document of every page it wrote again, and the decoded pages (dozens of maps and strings per document) sat in
 * the page cache and among the changed pages until the next commit, long enough for each young collection to copy
 * them: at a million customers the collector was the query side's largest thread group. As bytes, a page is read
 * and written by copying them, and a document costs one array in the heap.
 * <p>
 * The file format is unchanged: a document is its BSON behind its length, as before, so files written by either
 * form open with the other.
 */
final class StoredDocumentType extends BasicDataType<byte[]> {

    static final StoredDocumentType INSTANCE = new StoredDocumentType();

    private static final int ENTRY_OVERHEAD = 48;
    /**
     * How much more a document weighs in H2's accounting than its bytes: about what it was estimated at decoded (a
     * history item of 377 bytes at 2,164), so pages split at the sizes they did (7 to 10 history items) and the page
     * cache holds as many pages as it did, in a fraction of the heap. Larger pages would make each random insert
     * copy, compress and encrypt more on commit.
     */
    private static final int DECODED_WEIGHT = 5;

    private StoredDocumentType() {
    }

    static byte[] encode(Document document) {
        ByteBuf bson = Unpooled.buffer(256);
        try {
            BsonEncoder.encodeDocument(document, bson);
            return ByteBufUtil.getBytes(bson);
        } finally {
            bson.release();
        }
    }

    /** A new document each call, so no reader or update ever shares one with the store. */
    static Document decode(byte[] bson) {
        return bson == null ? null : BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
    }

    @Override
    public int getMemory(byte[] bson) {
        return ENTRY_OVERHEAD + DECODED_WEIGHT * bson.length;
    }

    @Override
    public void write(WriteBuffer buffer, byte[] bson) {
        buffer.putVarInt(bson.length).put(bson);
    }

    @Override
    public byte[] read(ByteBuffer buffer) {
        byte[] bson = new byte[DataUtils.readVarInt(buffer)];
        buffer.get(bson);
        return bson;
    }

    @Override
    public byte[][] createStorage(int size) {
        return new byte[size][];
    }
}
