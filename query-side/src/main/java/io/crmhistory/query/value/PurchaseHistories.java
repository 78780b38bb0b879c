package io.crmhistory.query.value;

import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.MongoStateStore;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Every customer's purchases (not refunds) with their business time and amount in the base currency, read from
 * the value read model, for the value forecast. A purchase in a currency without a configured rate cannot be put
 * on one scale with the others and is left out (as it is of every base-currency figure).
 */
@Component
public class PurchaseHistories {

    private static final int PAGE_SIZE = 1000;

    private final MongoTemplate mongo;
    private final ValueReadModel readModel;
    private final FxRates fx;

    PurchaseHistories(MongoTemplate mongo, ValueReadModel readModel, FxRates fx) {
        this.mongo = mongo;
        this.readModel = readModel;
        this.fx = fx;
    }

    public String baseCurrency() {
        return fx.baseCurrency();
    }

    /** The value read model's live version, the one the purchases are read from. */
    public int liveVersion() {
        return readModel.liveVersion().version();
    }

    /** How many customers the value read model knows (an estimate: for progress figures). */
    public long customerCount() {
        return mongo.estimatedCount(readModel.live().collection());
    }

    /** Calls {@code each} with every customer's purchases, a page of customers at a time. */
    public void forEach(BiConsumer<String, List<Map.Entry<Instant, BigDecimal>>> each) {
        MongoStateStore<ValueState> states = readModel.live().states();
        String afterId = null;
        List<ValueState> page;
        do {
            page = states.page(afterId, PAGE_SIZE);
            for (ValueState state : page) {
                each.accept(state.id(), purchasesOf(state));
                afterId = state.id();
            }
        } while (page.size() == PAGE_SIZE);
    }

    /** The customer's purchases; empty when the value read model does not know the customer. */
    public Optional<List<Map.Entry<Instant, BigDecimal>>> of(String customerId) {
        return Optional.ofNullable(readModel.live().find(customerId).orElse(null))
                .map(this::purchasesOf);
    }

    /** The purchases of a value state already read. */
    List<Map.Entry<Instant, BigDecimal>> purchasesOf(ValueState state) {
        return state.movements().stream()
                // Refunds are the negative movements; a purchase of 0 (CDNOW has some) is still a transaction.
                .filter(movement -> movement.amount().signum() >= 0)
                .flatMap(movement -> fx.toBase(movement.currency(), movement.amount()).stream()
                        .map(amount -> (Map.Entry<Instant, BigDecimal>) new AbstractMap.SimpleImmutableEntry<>(
                                movement.at(), amount)))
                .toList();
    }
}
