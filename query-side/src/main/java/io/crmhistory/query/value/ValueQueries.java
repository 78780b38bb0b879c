package io.crmhistory.query.value;

import io.crmhistory.api.customer.query.CustomerValueView;
import io.crmhistory.api.customer.query.FindCustomerValue;
import io.crmhistory.query.prediction.Forecasts;
import io.crmhistory.query.projection.FxRates;
import io.crmhistory.query.projection.Projections;
import io.crmhistory.query.projection.ReadModelVersions;
import io.crmhistory.query.projection.UnknownCustomerException;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;

/** Answers value questions, for REST and for Axon's query bus alike. */
@Component
class ValueQueries {

    private final ValueReadModel readModel;
    private final ReadModelVersions versions;
    private final FxRates fx;
    private final Clock clock;
    private final Forecasts forecasts;

    private final PurchaseHistories purchases;

    ValueQueries(ValueReadModel readModel, ReadModelVersions versions, FxRates fx, Clock clock, Forecasts forecasts,
                 PurchaseHistories purchases) {
        this.forecasts = forecasts;
        this.purchases = purchases;
        this.readModel = readModel;
        this.versions = versions;
        this.fx = fx;
        this.clock = clock;
    }

    @QueryHandler
    CustomerValueView handle(FindCustomerValue query) {
        ValueState state = versions.read(Projections.VALUE, query.customerId(), query.minVersion(),
                        () -> readModel.live().find(query.customerId()), ValueState::lastSequence)
                .orElseThrow(() -> new UnknownCustomerException(query.customerId()));
        Instant now = clock.instant();
        return ValueLogic.view(state, fx, forecasts.forecast(purchases.purchasesOf(state), now).orElse(null), now);
    }
}
