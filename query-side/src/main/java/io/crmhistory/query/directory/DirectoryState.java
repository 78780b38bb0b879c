package io.crmhistory.query.directory;

import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.query.ValueForecast;
import io.crmhistory.query.projection.SequencedState;
import org.bson.codecs.pojo.annotations.BsonId;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A customer as the directory lists them: profile, status, registration, and the value figures it is
 * sorted by. {@code nameKey} and {@code emailKey} are the lower-cased name and email the search and the
 * name ordering use; {@code lastPurchaseSort} is {@code lastPurchaseAt} or {@link #NEVER}, so keyset
 * paging never meets a missing value. {@code personalDataErased} marks a customer whose personal data
 * was erased on request: name, email and phone are gone from the entry for good. {@code forecast} and
 * {@code predictedRevenue} (what {@code sort=predictedRevenue} orders by, 0 until a model is fitted) are not
 * derived from events: the forecast refresh sets them, and the projection carries them over. So is {@code segment},
 * the customer's current segment as the segment read model has it ({@link DirectorySegments}), which the list
 * filters on.
 */
public record DirectoryState(@BsonId String id,
                             long lastSequence,
                             String name,
                             String email,
                             String phone,
                             String country,
                             String acquisitionChannel,
                             CustomerStatus status,
                             Instant registeredAt,
                             long orderCount,
                             Map<String, BigDecimal> netPerCurrency,
                             BigDecimal netRevenue,
                             Instant lastPurchaseAt,
                             String nameKey,
                             String emailKey,
                             Instant lastPurchaseSort,
                             boolean personalDataErased,
                             BigDecimal predictedRevenue,
                             ValueForecast forecast,
                             String segment) implements SequencedState {

    /** Sorts customers who never bought before every purchase date. */
    public static final Instant NEVER = Instant.parse("0001-01-01T00:00:00Z");

    public DirectoryState {
        netPerCurrency = Map.copyOf(netPerCurrency);
        predictedRevenue = predictedRevenue == null ? BigDecimal.ZERO : predictedRevenue;
    }

    public static DirectoryState empty(String customerId) {
        return new DirectoryState(customerId, -1, null, null, null, null, null, CustomerStatus.LEAD, null, 0, Map.of(),
                BigDecimal.ZERO, null, "", "", NEVER, false, BigDecimal.ZERO, null, null);
    }

    public DirectoryState withSegment(String newSegment) {
        return new DirectoryState(id, lastSequence, name, email, phone, country, acquisitionChannel, status, registeredAt,
                orderCount, netPerCurrency, netRevenue, lastPurchaseAt, nameKey, emailKey, lastPurchaseSort,
                personalDataErased, predictedRevenue, forecast, newSegment);
    }
}
