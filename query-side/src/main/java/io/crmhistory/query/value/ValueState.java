package io.crmhistory.query.value;

import io.crmhistory.query.projection.SequencedState;
import org.bson.codecs.pojo.annotations.BsonId;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the value read model keeps of one customer: totals per original currency (conversion happens
 * when the value is read, so a rate change needs no rebuild) and every purchase and refund with its
 * date, from which the revenue of any trailing window is computed at the moment of the query.
 */
public record ValueState(@BsonId String id,
                         long lastSequence,
                         Map<String, Totals> perCurrency,
                         Instant firstPurchaseAt,
                         Instant lastPurchaseAt,
                         long contactCount,
                         Instant lastContactAt,
                         List<Movement> movements) implements SequencedState {

    public ValueState {
        perCurrency = Map.copyOf(perCurrency);
        movements = List.copyOf(movements);
    }

    public static ValueState empty(String customerId) {
        return new ValueState(customerId, -1, Map.of(), null, null, 0, null, List.of());
    }

    /** Totals in one currency: gross purchases, refunds, and how many of each. */
    public record Totals(BigDecimal gross, BigDecimal refunded, long orders, long refunds) {

        static final Totals NONE = new Totals(BigDecimal.ZERO, BigDecimal.ZERO, 0, 0);

        public BigDecimal net() {
            return gross.subtract(refunded);
        }
    }

    /** A purchase (positive) or refund (negative) of {@code amount} in {@code currency}, at its business time. */
    public record Movement(Instant at, String currency, BigDecimal amount) {
    }
}
