package io.crmhistory.embeddedmongo;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key type of the embedded server's index maps. mongo-java-server keys its H2 indexes by
 * {@link KeyValue}, which is not {@link Comparable}, so H2's default type compares two keys by Java-serializing
 * both, at every step of every B-tree search: that was most of the projections' CPU time. Keys are compared
 * here in MongoDB's order of values instead ({@link ValueComparator}), and only keys that order calls equal
 * while {@code equals} does not (for example {@code 1} and {@code 1.0}) fall back to the serialized form,
 * so the map still tells apart exactly the keys it told apart before.
 * <p>
 * Keys are stored as their values' BSON, the form the server received them in: H2's default Java-serializes each
 * key with a new object stream (class descriptors and buffers every time), at every write of an index page and
 * every read of one, which was a sixth of the query side's CPU while projecting and most of its garbage. A key
 * holding a value of another class (none the read models write) is still Java-serialized.
 */
final class IndexKeyType extends ObjectDataType {

    static final IndexKeyType INSTANCE = new IndexKeyType();

    /** The first byte of a stored key: its values as BSON, or H2's own form (its type tag follows). */
    private static final byte BSON_KEY = 0;
    private static final byte OTHER = 1;
    /** Stands for a missing value among a key's BSON values; BSON's own type bytes are 0x01–0x13, 0x7F and 0xFF. */
    private static final byte MISSING = 0x60;
    /** Rough per-entry overhead in memory, for H2's cache accounting and page splitting. */
    private static final int ENTRY_OVERHEAD = 48;
    /** Classes the BSON decoder gives back as an equal value of the same class. */
    private static final Set<Class<?>> ROUND_TRIPPING = Set.of(String.class, Double.class, Long.class, Integer.class,
            Boolean.class, Instant.class, ObjectId.class, Decimal128.class, Document.class, ArrayList.class);

    private IndexKeyType() {
    }

    @Override
    public void write(WriteBuffer buffer, Object key) {
        if (!(key instanceof KeyValue values) || !storableAsBson(values)) {
            buffer.put(OTHER);
            super.write(buffer, key);
            return;
        }
        buffer.put(BSON_KEY).putVarInt(values.size());
        LengthPrefixedBson.write(buffer, bson -> {
            for (Object value : values) {
                if (value instanceof Missing) {
                    bson.writeByte(MISSING);
                } else {
                    byte type = BsonEncoder.determineType(value);
                    bson.writeByte(type);
                    BsonEncoder.encodeValue(type, value, bson);
                }
            }
        });
    }

    /**
     * H2 splits a page once the keys' estimated memory passes its page size. The inherited estimate for a
     * {@code KeyValue} is the running average size of the objects it serialized, which starts at 10,000 bytes and
     * moves only when H2 serializes one itself; keys written here as BSON never moved it, so every key counted as
     * 10 KB, leaves held one or two keys and the index trees grew some 30 levels deep (seen in a thread dump of a
     * dropped index). Estimated from the values instead, roughly as they take in the heap.
     */
    @Override
    public int getMemory(Object key) {
        if (!(key instanceof KeyValue values)) {
            return super.getMemory(key);
        }
        int memory = 32;
        for (Object value : values) {
            memory += estimate(value);
        }
        return memory;
    }

    @Override
    public Object read(ByteBuffer buffer) {
        if (buffer.get() != BSON_KEY) {
            return super.read(buffer);
        }
        int size = DataUtils.readVarInt(buffer);
        ByteBuf bson = LengthPrefixedBson.read(buffer);
        List<Object> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            byte type = bson.readByte();
            values.add(type == MISSING ? Missing.getInstance() : BsonDecoder.decodeValue(type, bson));
        }
        return new KeyValue(values);
    }

    private static boolean storableAsBson(KeyValue key) {
        for (Object value : key) {
            if (value != null && !(value instanceof Missing) && !ROUND_TRIPPING.contains(value.getClass())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compare(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        if (a instanceof KeyValue left && b instanceof KeyValue right) {
            int order = inValueOrder(left, right);
            if (order != 0 || equalByDirectComparison(left, right) || left.equals(right)) {
                return order;
            }
            return Arrays.compare(serialize(left), serialize(right));
        }
        return super.compare(a, b);
    }

    private static int inValueOrder(KeyValue left, KeyValue right) {
        int shared = Math.min(left.size(), right.size());
        for (int i = 0; i < shared; i++) {
            int order = compareValues(left.get(i), right.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    /**
     * Two keys in the same order are equal if every pair of values was compared directly (a string, date or long
     * compares as 0 only with an equal one), which spares {@code KeyValue.equals}: it was 199 of the 214 samples in
     * this comparator in a recorded import, once per search that finds its key.
     */
    private static boolean equalByDirectComparison(KeyValue left, KeyValue right) {
        for (int i = 0; i < left.size(); i++) {
            Object a = left.get(i);
            Object b = right.get(i);
            boolean direct = a instanceof String && b instanceof String || a instanceof Instant && b instanceof Instant
                    || a instanceof Long && b instanceof Long;
            if (!direct) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link ValueComparator}'s order. The read models' keys are strings, dates and longs, and two of one of those
     * classes are compared directly: the comparator first finds each value's place in MongoDB's order of types by
     * walking a list of classes with {@code isAssignableFrom}: the comparator was a quarter of the embedded
     * server's CPU while projecting, most of it that walk. For these classes its answer is the one below (it compares strings with
     * {@code compareTo}, dates with {@code compareTo}, and two longs, normalized, by their long values).
     */
    static int compareValues(Object left, Object right) {
        if (left instanceof String a && right instanceof String b) {
            return a.compareTo(b);
        }
        if (left instanceof Instant a && right instanceof Instant b) {
            return a.compareTo(b);
        }
        if (left instanceof Long a && right instanceof Long b) {
            return Long.compare(a, b);
        }
        return ValueComparator.asc().compare(left, right);
    }

    /** Heap bytes of a value as decoded, roughly: what H2 weighs pages by (and splits them at). */
    private static int estimate(Object value) {
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
