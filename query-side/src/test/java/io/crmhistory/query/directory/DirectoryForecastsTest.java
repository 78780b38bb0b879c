package io.crmhistory.query.directory;

import io.crmhistory.api.customer.query.ValueForecast;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.data.mongodb.core.query.Update;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/** A customer the model gives no forecast loses the one their entry had, instead of keeping a stale figure. */
class DirectoryForecastsTest {

    @Test
    @SuppressWarnings("unchecked")
    void aForecastIsSetAndNoForecastRemovesTheOldOne() {
        DirectoryReadModel readModel = mock(DirectoryReadModel.class);
        Map<String, ValueForecast> forecasts = new HashMap<>();
        forecasts.put("a", new ValueForecast(3, 52, 0.5, 1.2, "10.00", "12.00"));
        forecasts.put("b", null);

        new DirectoryForecasts(readModel).store(forecasts);

        ArgumentCaptor<Map<String, Update>> updates = ArgumentCaptor.forClass(Map.class);
        verify(readModel).setOnEntries(updates.capture());
        Document set = updates.getValue().get("a").getUpdateObject();
        assertThat(set.get("$set", Document.class)).containsKeys("predictedRevenue", "forecast");
        Document none = updates.getValue().get("b").getUpdateObject();
        assertThat(none.get("$unset", Document.class)).containsOnlyKeys("forecast");
        // Sorted with 0 as before the first fit: the list's cursors need the field on every entry.
        assertThat(none.get("$set", Document.class)).containsEntry("predictedRevenue", BigDecimal.ZERO);
    }
}
