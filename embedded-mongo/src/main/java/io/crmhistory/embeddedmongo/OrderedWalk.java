package io.crmhistory.embeddedmongo;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.Cursor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A sorted, limited query answered by walking a secondary index in its order instead of sorting every match: the
 * first page of customers by net revenue reads about a page of documents, not the whole collection. The index's
 * entries are (value, id) in the library's order of values ({@link IndexKeyType}), so a query sorted by
 * {@code {field: d, _id: d}} (both ascending or both descending) is the entries read forwards or backwards, keeping
 * the documents the query matches, until {@code skip + limit} of them are found.
 * <p>
 * It is not used while any document holds an array or a sub-document in the field (their entries are not where the
 * sort puts them, {@link EqualityPrefixIndex#walkable}). The walk gives up, and the query is answered the library's
 * way, when values the index keeps equal differ in the library's order (numbers beyond a double's precision), and
 * when it has read {@link #budget} entries without filling the page, so a query that matches few documents, or a page
 * deep into the list, costs at most that much more than the scan it falls back to. A page after a keyset cursor on a string or a
 * date starts at the cursor's entry instead of at the first.
 */
final class OrderedWalk {

    private static final String ID = "_id";
    private static final ValueComparator VALUES = ValueComparator.asc();

    private final EqualityPrefixIndex index;
    private final boolean descending;

    private OrderedWalk(EqualityPrefixIndex index, boolean descending) {
        this.index = index;
        this.descending = descending;
    }

    /**
     * The walk that answers this order, or {@code null}: the order is not {field, _id} in one direction, or no index
     * fits ({@link EqualityPrefixIndex#walkable}, given the collection's documents and the monitor its writes hold).
     */
    static OrderedWalk of(Document orderBy, List<Index<Object>> indexes, Supplier<Stream<Document>> documents,
                          Object writers) {
        if (orderBy == null || orderBy.size() != 2) {
            return null;
        }
        List<String> fields = new ArrayList<>(orderBy.keySet());
        if (!ID.equals(fields.get(1)) || !(orderBy.get(fields.get(0)) instanceof Number first)
                || !(orderBy.get(ID) instanceof Number second) || first.intValue() == 0
                || Integer.signum(first.intValue()) != Integer.signum(second.intValue())) {
            return null;
        }
        for (Index<Object> index : indexes) {
            if (index instanceof EqualityPrefixIndex equality && equality.field().equals(fields.get(0))
                    && equality.walkable(documents, writers)) {
                return new OrderedWalk(equality, first.intValue() < 0);
            }
        }
        return null;
    }

    /** Entries read before the walk gives up on a page of {@code wanted} documents. */
    static long budget(long wanted) {
        return 10_000 + 50 * wanted;
    }

    /**
     * The first {@code wanted} documents the query matches, in the order, or {@code null} when the walk cannot
     * tell (see the class): the caller then answers the query the library's way.
     */
    List<Document> first(Document query, Predicate<Document> matches, long wanted, Function<Object, Document> documents) {
        List<Document> found = new ArrayList<>();
        long left = budget(wanted);
        Cursor<KeyValue, Object> entries = index.cursor(seekKey(query), descending);
        Object runKey = Missing.getInstance();
        Object runValue = null;
        while (found.size() < wanted && entries.hasNext()) {
            if (left-- == 0) {
                return null;
            }
            KeyValue key = entries.next();
            Document document = documents.apply(entries.getValue());
            if (document == null) {
                continue;
            }
            Object value = document.getOrMissing(index.field());
            if (!java.util.Objects.equals(key.get(0), runKey)) {
                runKey = key.get(0);
                runValue = value;
            } else if (VALUES.compare(value, runValue) != 0) {
                return null;
            }
            if (matches.test(document)) {
                found.add(document);
            }
        }
        return found;
    }

    /**
     * Where a page after a keyset cursor starts: the query's {@code $and} holds {@code $or: [{field: {$lt|$gt: v}},
     * {field: v, _id: {$lt|$gt: id}}]} in the walk's direction, so no match comes before the entry (v, id). Only for a
     * string or a date, whose index value is the value itself; anything else starts at the first entry.
     */
    private KeyValue seekKey(Document query) {
        if (!(query.get("$and") instanceof List<?> conditions)) {
            return null;
        }
        String beyond = descending ? "$lt" : "$gt";
        for (Object condition : conditions) {
            if (condition instanceof Document document && document.size() == 1
                    && document.get("$or") instanceof List<?> branches && branches.size() == 2
                    && branches.get(0) instanceof Document past && branches.get(1) instanceof Document tie
                    && past.size() == 1 && past.get(index.field()) instanceof Document range && range.size() == 1
                    && tie.size() == 2 && tie.get(ID) instanceof Document idRange && idRange.size() == 1
                    && idRange.get(beyond) instanceof String id) {
                Object value = range.get(beyond);
                if ((value instanceof String || value instanceof Instant) && value.equals(tie.get(index.field()))) {
                    return new KeyValue(value, id);
                }
            }
        }
        return null;
    }
}
