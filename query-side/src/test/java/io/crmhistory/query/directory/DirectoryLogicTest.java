package io.crmhistory.query.directory;

import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import io.crmhistory.query.projection.FxRates;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DirectoryLogicTest {

    final DirectoryLogic logic = new DirectoryLogic(new FxRates("EUR", Map.of("USD", new BigDecimal("0.92"))));

    DirectoryState fold(Events events) {
        DirectoryState state = null;
        for (EventEnvelope envelope : events.envelopes()) {
            state = logic.apply(state, envelope);
        }
        return state;
    }

    @Test
    void profileChangesKeepFieldsTheyDoNotName() {
        DirectoryState state = fold(Events.of("c-1").registered("Ada Lovelace", "Ada@Example.com", "2025-01-01T00:00:00Z")
                .profileUpdated(null, "ada@lovelace.org", "2025-02-01T00:00:00Z"));

        assertThat(state.name()).isEqualTo("Ada Lovelace");
        assertThat(state.email()).isEqualTo("ada@lovelace.org");
        assertThat(state.country()).isEqualTo("DE");
        assertThat(state.nameKey()).isEqualTo("ada lovelace");
        assertThat(state.registeredAt()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(state.status()).isEqualTo(CustomerStatus.LEAD);
    }

    @Test
    void statusAndValueSummaryFollowTheEvents() {
        DirectoryState state = fold(Events.of("c-1").registered("Ada", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "100.00", "USD", "2025-02-01T00:00:00Z")
                .status(CustomerStatus.LEAD, CustomerStatus.ACTIVE, "2025-02-01T00:00:00Z")
                .refund("o-1", "r-1", "50.00", "USD", "2025-03-01T00:00:00Z"));

        assertThat(state.status()).isEqualTo(CustomerStatus.ACTIVE);
        assertThat(state.orderCount()).isEqualTo(1);
        assertThat(state.netRevenue()).isEqualByComparingTo("46.00");
        assertThat(state.lastPurchaseSort()).isEqualTo(Instant.parse("2025-02-01T00:00:00Z"));
        assertThat(state.lastSequence()).isEqualTo(3);
    }

    /** A changed rate shows in the customer's view at once, as in the value view, without a rebuild. */
    @Test
    void theViewConvertsTheNetRevenueWithTheRatesInForceWhenRead() {
        DirectoryState state = fold(Events.of("c-1").registered("Ada", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "100.00", "USD", "2025-02-01T00:00:00Z")
                .purchase("o-2", "10.00", "EUR", "2025-02-02T00:00:00Z"));

        FxRates changed = new FxRates("EUR", Map.of("USD", new BigDecimal("0.50")));

        assertThat(DirectoryLogic.view(state, null, null, changed).value().netRevenue()).isEqualTo("60.00");
        assertThat(state.netRevenue()).as("the stored figure the list sorts by").isEqualByComparingTo("102.00");
    }

    @Test
    void aCustomerWhoNeverBoughtSortsBeforeEveryBuyer() {
        DirectoryState state = fold(Events.of("c-1").registered("Ada", null, "2025-01-01T00:00:00Z"));

        assertThat(state.lastPurchaseAt()).isNull();
        assertThat(state.lastPurchaseSort()).isEqualTo(DirectoryState.NEVER);
        assertThat(state.netRevenue()).isEqualByComparingTo("0");
    }
}
