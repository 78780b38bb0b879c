package io.crmhistory.query.history;

import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.query.HistoryItemType;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.FxRates;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryLogicTest {

    static final FxRates FX = new FxRates("EUR", Map.of("USD", new BigDecimal("0.92")));

    static List<HistoryEntry> entries(Events events) {
        HistoryState state = null;
        List<HistoryEntry> entries = new ArrayList<>();
        for (EventEnvelope envelope : events.envelopes()) {
            state = HistoryLogic.apply(state, envelope);
            entries.add(HistoryLogic.entry(state, envelope, FX));
        }
        return entries;
    }

    @Test
    void purchasesAndRefundsCarryTheRunningNetRevenueAfterThem() {
        List<HistoryEntry> entries = entries(Events.of("c-1").registered("Ada", "ada@example.com", "2025-01-01T00:00:00Z")
                .purchase("o-1", "100.00", "EUR", "2025-02-01T00:00:00Z")
                .purchase("o-2", "100.00", "USD", "2025-03-01T00:00:00Z")
                .refund("o-1", "r-1", "40.00", "EUR", "2025-04-01T00:00:00Z"));

        assertThat(entries).extracting(HistoryEntry::type).containsExactly("REGISTERED", "PURCHASE", "PURCHASE", "REFUND");
        assertThat(entries.get(1).details().get("runningNetRevenue")).isEqualTo(Map.of("value", "100.00", "currency", "EUR"));
        assertThat(entries.get(2).details().get("runningNetRevenue")).isEqualTo(Map.of("value", "192.00", "currency", "EUR"));
        assertThat(entries.get(3).details().get("runningNetRevenue")).isEqualTo(Map.of("value", "152.00", "currency", "EUR"));
        assertThat(entries.get(2).channel()).isEqualTo("WEB");
        // Money reads value first, then currency, in every item and every JVM.
        assertThat(((Map<?, ?>) entries.get(3).details().get("runningNetRevenue")).keySet())
                .hasToString("[value, currency]");
        assertThat(((Map<?, ?>) entries.get(3).details().get("amount")).keySet()).hasToString("[value, currency]");
    }

    @Test
    void aRunningTotalInACurrencyWithoutRateIsShownPerCurrency() {
        List<HistoryEntry> entries = entries(Events.of("c-1").registered("Ada", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "500", "JPY", "2025-02-01T00:00:00Z"));

        assertThat(entries.get(1).details().get("runningNetRevenue")).isEqualTo(Map.of("value", "0.00", "currency", "EUR"));
        assertThat(entries.get(1).details().get("runningNetRevenuePerCurrency")).isEqualTo(Map.of("JPY", "500"));
        assertThat(entries.get(1).details().get("unconvertedCurrencies")).isEqualTo(List.of("JPY"));
    }

    @Test
    void itemsKeepSequenceEventIdAndBothTimes() {
        List<HistoryEntry> entries = entries(Events.of("c-1").registered("Ada", null, "2025-01-01T00:00:00Z")
                .status(CustomerStatus.LEAD, CustomerStatus.PROSPECT, "2025-01-05T00:00:00Z"));

        HistoryEntry status = entries.get(1);
        assertThat(status.sequence()).isEqualTo(1);
        assertThat(status.eventId()).isEqualTo("event-c-1-1");
        assertThat(HistoryItemType.valueOf(status.type())).isEqualTo(HistoryItemType.STATUS_CHANGED);
        assertThat(status.occurredAt()).isBefore(status.recordedAt());
        assertThat(status.details()).containsEntry("from", "LEAD").containsEntry("to", "PROSPECT");
        assertThat(status.id()).isEqualTo("c-1/0000000000000000001/e");
    }
}
