package io.crmhistory.embeddedmongo;

import de.bwaldvogel.mongo.bson.Document;

import java.util.Collection;
import java.util.Map;
import java.util.function.Function;

/** Reads the equality a query requires of one field, for the embedded store's own index lookups. */
final class EqualityQueries {

    private static final java.util.Set<String> RANGE_OPERATORS = java.util.Set.of("$gt", "$gte", "$lt", "$lte");

    private EqualityQueries() {
    }

    /**
     * The scalar value the query requires {@code field} to equal, at its top level or inside an {@code $and}, or
     * {@code null}. Arrays (whose elements a query matches one by one), operators and regular expressions are left
     * to other means.
     */
    static Object scalarEquality(Document query, String field) {
        return find(query, value -> isScalar(value) ? value : null, field);
    }

    /** The scalar values of an {@code $in} on {@code field} at the query's top level or inside an {@code $and}, or null. */
    static Collection<?> inValues(Document query, String field) {
        return find(query, EqualityQueries::scalarsIn, field);
    }

    /** The values of a condition that is exactly {@code {$in: [scalars]}}, or null. */
    static Collection<?> scalarsIn(Object condition) {
        return condition instanceof Document document && document.size() == 1
                && document.get("$in") instanceof Collection<?> values
                && values.stream().allMatch(EqualityQueries::isScalar) ? values : null;
    }

    /**
     * The bounds of a range on {@code field} ({@code $gt}, {@code $gte}, {@code $lt}, {@code $lte} with scalar values
     * and nothing else) at the query's top level or inside an {@code $and}, or null.
     */
    static Document rangeBounds(Document query, String field) {
        return find(query, value -> value instanceof Document condition && !condition.isEmpty()
                && RANGE_OPERATORS.containsAll(condition.keySet())
                && condition.values().stream().allMatch(EqualityQueries::isScalar) ? condition : null, field);
    }

    /** What {@code read} makes of the field's condition, at the top level or in the first {@code $and} term it reads. */
    private static <T> T find(Document query, Function<Object, T> read, String field) {
        T found = read.apply(query.get(field));
        if (found != null) {
            return found;
        }
        if (query.get("$and") instanceof Collection<?> conditions) {
            for (Object condition : conditions) {
                if (condition instanceof Document document) {
                    T nested = find(document, read, field);
                    if (nested != null) {
                        return nested;
                    }
                }
            }
        }
        return null;
    }

    static boolean isScalar(Object value) {
        return value != null && !(value instanceof Document) && !(value instanceof Collection<?>)
                && !(value instanceof Map<?, ?>) && !(value instanceof java.util.regex.Pattern)
                && !value.getClass().getName().contains("RegularExpression");
    }
}
