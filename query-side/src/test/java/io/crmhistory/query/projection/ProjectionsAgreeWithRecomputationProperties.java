package io.crmhistory.query.projection;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.query.CustomerValueView;
import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.query.directory.DirectoryLogic;
import io.crmhistory.query.directory.DirectoryState;
import io.crmhistory.query.history.HistoryLogic;
import io.crmhistory.query.history.HistoryState;
import io.crmhistory.query.segment.SegmentEvaluator;
import io.crmhistory.query.segment.SegmentLogic;
import io.crmhistory.query.segment.SegmentState;
import io.crmhistory.query.value.ValueLogic;
import io.crmhistory.query.value.ValueState;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For random purchase/refund/contact histories (fixed seed, so a failure replays), every read model's
 * folded state equals a straightforward recomputation from the raw list, and delivering every event
 * twice (as a crash before the token is stored would) changes nothing.
 */
class ProjectionsAgreeWithRecomputationProperties {

    static final FxRates FX = new FxRates("EUR", Map.of("USD", new BigDecimal("0.92")));
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final SegmentEvaluator V1 = new SegmentEvaluator(1, SegmentationRuleSet.DEFAULT, FX);

    record Step(String kind, String currency, BigDecimal amount, Instant at) {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.of("PURCHASE", "PURCHASE", "REFUND", "CONTACT"),
                Arbitraries.of("EUR", "USD", "JPY"),
                Arbitraries.integers().between(0, 500_000),
                Arbitraries.longs().between(0, 3 * 365))
                .as((kind, currency, cents, daysBack) -> new Step(kind,
                        currency, currency.equals("JPY") ? BigDecimal.valueOf(cents / 100) : BigDecimal.valueOf(cents, 2),
                        NOW.minus(Duration.ofDays(daysBack)).minusSeconds(cents % 86_400)));
        return step.list().ofMaxSize(40);
    }

    @Property(tries = 300, seed = "20260101")
    void foldedStatesEqualARecomputationAndRedeliveryIsHarmless(@ForAll("histories") List<Step> steps) {
        Events events = Events.of("c").registered("Random", "r@example.com", "2020-01-01T00:00:00Z");
        int orders = 0;
        Map<String, BigDecimal> net = new HashMap<>();
        Map<String, BigDecimal> gross = new HashMap<>();
        Instant lastPurchase = null;
        int i = 0;
        for (Step step : steps) {
            String when = step.at().toString();
            switch (step.kind()) {
                case "PURCHASE" -> {
                    events.purchase("o-" + i, step.amount().toPlainString(), step.currency(), when);
                    orders++;
                    net.merge(step.currency(), step.amount(), BigDecimal::add);
                    gross.merge(step.currency(), step.amount(), BigDecimal::add);
                    lastPurchase = lastPurchase == null || step.at().isAfter(lastPurchase) ? step.at() : lastPurchase;
                }
                case "REFUND" -> {
                    events.refund("o-0", "r-" + i, step.amount().toPlainString(), step.currency(), when);
                    net.merge(step.currency(), step.amount().negate(), BigDecimal::add);
                }
                default -> events.contact("k-" + i, ContactChannel.CHAT, when);
            }
            i++;
        }

        List<EventEnvelope> once = events.envelopes();
        List<EventEnvelope> twice = new ArrayList<>();
        once.forEach(envelope -> {
            twice.add(envelope);
            twice.add(envelope);
        });
        DirectoryLogic directoryLogic = new DirectoryLogic(FX);

        ValueState value = foldSkippingSeen(twice, (ValueState state, EventEnvelope envelope) -> ValueLogic.apply(state, envelope));
        SegmentState segment = foldSkippingSeen(twice, (SegmentState state, EventEnvelope envelope) ->
                SegmentLogic.assess(SegmentLogic.apply(state, envelope), V1, NOW, envelope.occurredAt()));
        DirectoryState directory = foldSkippingSeen(twice, (DirectoryState state, EventEnvelope envelope) -> directoryLogic.apply(state, envelope));
        HistoryState history = foldSkippingSeen(twice, (HistoryState state, EventEnvelope envelope) -> HistoryLogic.apply(state, envelope));

        ValueState valueOnce = foldSkippingSeen(once, (ValueState state, EventEnvelope envelope) -> ValueLogic.apply(state, envelope));
        assertThat(value).isEqualTo(valueOnce);
        BigDecimal expectedNet = FX.sumInBase(net);
        CustomerValueView view = ValueLogic.view(value, FX, null, NOW);
        assertThat(new BigDecimal(view.netRevenue())).isEqualByComparingTo(expectedNet);
        assertThat(new BigDecimal(view.grossRevenue())).isEqualByComparingTo(FX.sumInBase(gross));
        assertThat(view.orderCount()).isEqualTo(orders);
        assertThat(view.lastPurchaseAt()).isEqualTo(lastPurchase);
        assertThat(view.unconvertedCurrencies()).isEqualTo(FX.unconverted(value.perCurrency().keySet()));

        assertThat(directory.netRevenue()).isEqualByComparingTo(expectedNet);
        assertThat(directory.orderCount()).isEqualTo(orders);
        assertThat(FX.sumInBase(history.netPerCurrency())).isEqualByComparingTo(expectedNet);

        assertThat(segment.orders()).isEqualTo(orders);
        assertThat(segment.assessment().netRevenue()).isEqualByComparingTo(expectedNet);
        assertThat(segment.assessment().frequency()).isEqualTo(orders == 0 ? 0
                : orders >= 10 ? 5 : orders >= 5 ? 4 : orders >= 3 ? 3 : orders >= 2 ? 2 : 1);
        long days = lastPurchase == null ? -1 : Duration.between(lastPurchase, NOW).toDays();
        assertThat(segment.assessment().recency()).isEqualTo(lastPurchase == null ? 0
                : days <= 30 ? 5 : days <= 90 ? 4 : days <= 180 ? 3 : days <= 365 ? 2 : 1);
        assertThat(segment.assessment()).isEqualTo(V1.evaluate(segment, NOW));
    }

    interface Fold<S> {
        S apply(S state, EventEnvelope envelope);
    }

    /** What the projector does: an event at or below the state's last sequence is skipped. */
    static <S extends SequencedState> S foldSkippingSeen(List<EventEnvelope> envelopes, Fold<S> logic) {
        S state = null;
        for (EventEnvelope envelope : envelopes) {
            if (state == null || envelope.sequence() > state.lastSequence()) {
                state = logic.apply(state, envelope);
            }
        }
        return state;
    }
}
