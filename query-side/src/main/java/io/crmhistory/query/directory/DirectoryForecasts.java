package io.crmhistory.query.directory;

import io.crmhistory.api.customer.query.ValueForecast;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Stores customers' forecasts on their live directory entries, where the list shows them and sorts by
 * {@code predictedRevenue}. Only existing entries are updated (never upserted: the projection creates them).
 */
@Component
public class DirectoryForecasts {

    private final DirectoryReadModel readModel;

    DirectoryForecasts(DirectoryReadModel readModel) {
        this.readModel = readModel;
    }

    public void store(Map<String, ValueForecast> forecasts) {
        if (forecasts.isEmpty()) {
            return;
        }
        // The version being rebuilt too, so it goes live with its forecasts.
        for (DirectoryStore store : readModel.storesInUse()) {
            BulkOperations bulk = store.bulk();
            forecasts.forEach((customerId, forecast) -> bulk.updateOne(Query.query(Criteria.where("_id").is(customerId)),
                    new Update().set("predictedRevenue", new BigDecimal(forecast.predictedRevenue())).set("forecast", forecast)));
            bulk.execute();
        }
    }

    /** The version of the live directory, to notice a rebuild's switch (a new version starts without forecasts). */
    public int liveVersion() {
        return readModel.liveVersion().version();
    }
}
