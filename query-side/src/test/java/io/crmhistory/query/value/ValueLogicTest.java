package io.crmhistory.query.value;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.query.CustomerValueView;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.FxRates;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ValueLogicTest {

    static final FxRates EUR_WITH_USD = new FxRates("EUR", Map.of("USD", new BigDecimal("0.92")));
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    static ValueState fold(Events events) {
        ValueState state = null;
        for (EventEnvelope envelope : events.envelopes()) {
            state = ValueLogic.apply(state, envelope);
        }
        return state;
    }

    @Test
    void netRevenueIsPurchasesMinusRefundsInTheBaseCurrency() {
        Events events = Events.of("c-1").registered("Ada", "ada@example.com", "2025-01-01T00:00:00Z")
                .purchase("o-1", "1200.00", "EUR", "2025-11-20T12:00:00Z")
                .refund("o-1", "r-1", "200.00", "EUR", "2025-11-25T12:00:00Z")
                .purchase("o-2", "50.00", "EUR", "2025-12-20T12:00:00Z");

        CustomerValueView view = ValueLogic.view(fold(events), EUR_WITH_USD, null, NOW);

        assertThat(view.netRevenue()).isEqualTo("1050.00");
        assertThat(view.grossRevenue()).isEqualTo("1250.00");
        assertThat(view.refunded()).isEqualTo("200.00");
        assertThat(view.orderCount()).isEqualTo(2);
        assertThat(view.refundCount()).isEqualTo(1);
        assertThat(view.averageOrderValue()).isEqualTo("625.00");
        assertThat(view.firstPurchaseAt()).isEqualTo(Instant.parse("2025-11-20T12:00:00Z"));
        assertThat(view.lastPurchaseAt()).isEqualTo(Instant.parse("2025-12-20T12:00:00Z"));
        assertThat(view.version()).isEqualTo(3);
    }

    @Test
    void otherCurrenciesConvertWithTheConfiguredRate() {
        Events events = Events.of("c-1").registered("Ada", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "100.00", "USD", "2025-06-01T00:00:00Z")
                .purchase("o-2", "10.00", "EUR", "2025-06-02T00:00:00Z");

        CustomerValueView view = ValueLogic.view(fold(events), EUR_WITH_USD, null, NOW);

        assertThat(view.netRevenue()).isEqualTo("102.00");
        assertThat(view.perCurrency().get("USD").gross()).isEqualTo("100.00");
        assertThat(view.perCurrency().get("EUR").orders()).isEqualTo(1);
        assertThat(view.unconvertedCurrencies()).isEmpty();
    }

    @Test
    void aCurrencyWithoutARateIsKeptAndListedButNeverDropped() {
        Events events = Events.of("c-1").registered("Ada", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "5000", "JPY", "2025-06-01T00:00:00Z")
                .purchase("o-2", "10.00", "EUR", "2025-06-02T00:00:00Z");

        CustomerValueView view = ValueLogic.view(fold(events), EUR_WITH_USD, null, NOW);

        assertThat(view.netRevenue()).isEqualTo("10.00");
        assertThat(view.orderCount()).isEqualTo(2);
        assertThat(view.averageOrderValue()).as("over the converted orders only").isEqualTo("10.00");
        assertThat(view.perCurrency().get("JPY").net()).isEqualTo("5000");
        assertThat(view.unconvertedCurrencies()).containsExactly("JPY");
    }

    @Test
    void revenueLast12MonthsCountsWhatHappenedInTheTrailingYearBeforeTheQuery() {
        Events events = Events.of("c-1").registered("Ada", null, "2024-01-01T00:00:00Z")
                .purchase("o-old", "300.00", "EUR", "2024-12-31T23:59:59Z")
                .purchase("o-edge", "40.00", "EUR", "2025-01-01T00:00:01Z")
                .purchase("o-new", "100.00", "EUR", "2025-10-01T00:00:00Z")
                .refund("o-old", "r-1", "30.00", "EUR", "2025-02-01T00:00:00Z")
                .refund("o-new", "r-2", "10.00", "EUR", "2025-10-02T00:00:00Z");
        ValueState state = fold(events);

        assertThat(ValueLogic.view(state, EUR_WITH_USD, null, NOW).revenueLast12Months()).isEqualTo("100.00");
        assertThat(ValueLogic.view(state, EUR_WITH_USD, null, Instant.parse("2025-01-15T00:00:00Z")).revenueLast12Months())
                .as("the same state asked earlier").isEqualTo("340.00");
        assertThat(ValueLogic.view(state, EUR_WITH_USD, null, Instant.parse("2027-01-01T00:00:00Z")).revenueLast12Months())
                .isEqualTo("0.00");
    }

    @Test
    void contactsAreCountedWithTheLatestKept() {
        Events events = Events.of("c-1").registered("Ada", null, "2025-01-01T00:00:00Z")
                .contact("k-1", ContactChannel.PHONE, "2025-03-01T00:00:00Z")
                .contact("k-2", ContactChannel.EMAIL, "2025-02-01T00:00:00Z");

        CustomerValueView view = ValueLogic.view(fold(events), EUR_WITH_USD, null, NOW);

        assertThat(view.contactCount()).isEqualTo(2);
        assertThat(view.lastContactAt()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThat(view.averageOrderValue()).as("no orders, no average").isNull();
    }

    @Test
    void applyingRecordsTheSequenceOfTheLastEvent() {
        Events events = Events.of("c-1").registered("Ada", null, "2025-01-01T00:00:00Z")
                .status(io.crmhistory.api.customer.CustomerStatus.LEAD, io.crmhistory.api.customer.CustomerStatus.PROSPECT,
                        "2025-01-02T00:00:00Z");

        assertThat(fold(events).lastSequence()).isEqualTo(1);
    }
}
