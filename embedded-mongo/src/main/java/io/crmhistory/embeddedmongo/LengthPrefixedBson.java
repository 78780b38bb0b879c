package io.crmhistory.embeddedmongo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** BSON bytes in an H2 page, behind their length: how the embedded store keeps documents and index keys. */
final class LengthPrefixedBson {

    private LengthPrefixedBson() {
    }

    /** Writes what {@code encoder} puts into a buffer, after its length. */
    static void write(WriteBuffer buffer, Consumer<ByteBuf> encoder) {
        ByteBuf bson = Unpooled.buffer(256);
        try {
            encoder.accept(bson);
            int length = bson.readableBytes();
            buffer.putVarInt(length);
            buffer.put(bson.array(), bson.arrayOffset() + bson.readerIndex(), length);
        } finally {
            bson.release();
        }
    }

    /** The next length-prefixed bytes of {@code buffer}, without copying them; the buffer moves past them. */
    static ByteBuf read(ByteBuffer buffer) {
        int length = DataUtils.readVarInt(buffer);
        ByteBuffer bson = buffer.slice();
        bson.limit(length);
        buffer.position(buffer.position() + length);
        return Unpooled.wrappedBuffer(bson);
    }
}
