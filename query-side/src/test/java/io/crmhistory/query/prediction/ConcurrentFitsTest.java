package io.crmhistory.query.prediction;

import io.crmhistory.query.projection.InProcessMongo;
import io.crmhistory.query.value.PurchaseHistories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Two query-side instances fitting at once: the fitting lock is each instance's own, so both may take the same next
 * version number. The one storing second was a duplicate key (a 500 after a fit of minutes); it is stored after.
 */
class ConcurrentFitsTest {

    private final InProcessMongo mongo = new InProcessMongo();

    @AfterEach
    void close() {
        mongo.close();
    }

    @Test
    void aFitWhoseVersionAnotherInstanceStoredMeanwhileIsStoredAsTheNextOne() throws Exception {
        MongoTemplate template = mongo.template();
        ValueModelVersion[] otherInstancesFit = new ValueModelVersion[1];
        MongoTemplate racing = new MongoTemplate(template.getMongoDatabaseFactory(), template.getConverter()) {
            private boolean raced;

            @Override
            public <T> T insert(T objectToSave, String collectionName) {
                if (!raced && objectToSave instanceof ValueModelVersion fit) {
                    raced = true;
                    otherInstancesFit[0] = new ValueModelVersion(fit.version(), fit.bgNbd(), fit.bgNbdLogLikelihood(),
                            fit.customers(), fit.gammaGamma(), fit.gammaGammaLogLikelihood(), fit.repeatCustomers(),
                            fit.calibrationEnd(), fit.horizonWeeks(), fit.baseCurrency(), "other-instance", fit.fittedAt());
                    super.insert(otherInstancesFit[0], collectionName);
                }
                return super.insert(objectToSave, collectionName);
            }
        };
        ValueModels models = new ValueModels(racing, cdnowPurchases(), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
                ZoneOffset.UTC), () -> { });

        ValueModelVersion fitted = models.fit(LocalDate.parse("1997-09-30"), 52, "ops");

        assertThat(otherInstancesFit[0].version()).isEqualTo(1);
        assertThat(fitted.version()).isEqualTo(2);
        assertThat(models.versions()).extracting(ValueModelVersion::fittedBy).containsExactly("other-instance", "ops");
        assertThat(models.current()).contains(fitted);
    }

    /** The CDNOW sample's purchases (2,357 customers), as the read model would hand them over. */
    private static PurchaseHistories cdnowPurchases() throws Exception {
        Map<String, List<Map.Entry<Instant, BigDecimal>>> purchases = new LinkedHashMap<>();
        List<String> transactions = Files.readAllLines(CdnowPublishedEstimatesTest.DATASETS.resolve("cdnow/cdnow_sample.csv"));
        for (String line : transactions.subList(1, transactions.size())) {
            String[] f = line.split(",");
            purchases.computeIfAbsent(f[1], id -> new ArrayList<>()).add(new AbstractMap.SimpleEntry<>(
                    LocalDate.parse(f[2]).atStartOfDay().toInstant(ZoneOffset.UTC), new BigDecimal(f[4])));
        }
        PurchaseHistories histories = mock(PurchaseHistories.class);
        when(histories.customerCount()).thenReturn((long) purchases.size());
        when(histories.baseCurrency()).thenReturn("USD");
        doAnswer(invocation -> {
            BiConsumer<String, List<Map.Entry<Instant, BigDecimal>>> each = invocation.getArgument(0);
            purchases.forEach(each);
            return null;
        }).when(histories).forEach(any());
        return histories;
    }
}
