package io.crmhistory.query.infrastructure;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import org.h2.mvstore.type.ObjectDataType;

import java.util.Arrays;

/**
 * The key type of the embedded server's index maps. mongo-java-server keys its H2 indexes by
 * {@link KeyValue}, which is not {@link Comparable}, so H2's default type compares two keys by Java-serializing
 * both, at every step of every B-tree search: that was most of the projections' CPU time. Keys are compared
 * here in MongoDB's order of values instead ({@link ValueComparator}), and only keys that order calls equal
 * while {@code equals} does not (for example {@code 1} and {@code 1.0}) fall back to the serialized form,
 * so the map still tells apart exactly the keys it told apart before. Storing keys is unchanged.
 */
final class IndexKeyType extends ObjectDataType {

    static final IndexKeyType INSTANCE = new IndexKeyType();

    private IndexKeyType() {
    }

    @Override
    public int compare(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        if (a instanceof KeyValue left && b instanceof KeyValue right) {
            int order = inValueOrder(left, right);
            if (order != 0 || left.equals(right)) {
                return order;
            }
            return Arrays.compare(serialize(left), serialize(right));
        }
        return super.compare(a, b);
    }

    private static int inValueOrder(KeyValue left, KeyValue right) {
        int shared = Math.min(left.size(), right.size());
        for (int i = 0; i < shared; i++) {
            int order = ValueComparator.asc().compare(left.get(i), right.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.size(), right.size());
    }
}
