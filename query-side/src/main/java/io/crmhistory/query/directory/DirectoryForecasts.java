package io.crmhistory.query.directory;

import io.crmhistory.api.customer.query.ValueForecast;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * Stores customers' forecasts on their directory entries (live, and a version being rebuilt), where the list
 * shows them and sorts by {@code predictedRevenue}.
 */
@Component
public class DirectoryForecasts {

    private final DirectoryReadModel readModel;

    DirectoryForecasts(DirectoryReadModel readModel) {
        this.readModel = readModel;
    }

    /**
     * @param forecasts by customer; {@code null} for a customer the model gives no forecast: the old one is removed
     *                  and the list sorts them with 0, as before the first fit (the field stays on every entry, which
     *                  the list's cursors need)
     */
    public void store(Map<String, ValueForecast> forecasts) {
        Map<String, Update> updates = new HashMap<>();
        forecasts.forEach((customerId, forecast) -> updates.put(customerId, forecast == null
                ? new Update().set("predictedRevenue", BigDecimal.ZERO).unset("forecast")
                : new Update().set("predictedRevenue", new BigDecimal(forecast.predictedRevenue()))
                        .set("forecast", forecast)));
        readModel.setOnEntries(updates);
    }

    /** The version of the live directory, to notice a rebuild's switch (a new version starts without forecasts). */
    public int liveVersion() {
        return readModel.liveVersion().version();
    }
}
