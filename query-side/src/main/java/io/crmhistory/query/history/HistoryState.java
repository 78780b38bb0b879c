package io.crmhistory.query.history;

import io.crmhistory.query.projection.SequencedState;
import org.bson.codecs.pojo.annotations.BsonId;

import java.math.BigDecimal;
import java.util.Map;

/** What the history read model keeps of one customer besides the items: the running net revenue per currency. */
public record HistoryState(@BsonId String id, long lastSequence, Map<String, BigDecimal> netPerCurrency)
        implements SequencedState {

    public HistoryState {
        netPerCurrency = Map.copyOf(netPerCurrency);
    }

    public static HistoryState empty(String customerId) {
        return new HistoryState(customerId, -1, Map.of());
    }
}
