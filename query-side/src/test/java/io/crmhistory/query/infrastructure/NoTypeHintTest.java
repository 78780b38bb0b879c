package io.crmhistory.query.infrastructure;

import io.crmhistory.query.history.HistoryEntry;
import io.crmhistory.query.projection.InProcessMongo;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Read-model documents carry no {@code _class} hint, and those written with one (before) still read the same; dates
 * are stored in UTC.
 */
class NoTypeHintTest {

    private InProcessMongo store;
    private MongoTemplate mongo;

    @BeforeEach
    void start() {
        store = new InProcessMongo();
        mongo = ReadModelTemplates.configuredLikeTheQuerySide(store.client());
    }

    @AfterEach
    void stop() {
        store.close();
    }

    record Dated(@Id String id, LocalDate day) {
    }

    /** Written by an instance in one zone, read by one in another: the same day (the driver's codecs, in UTC). */
    @Test
    void aDateIsStoredAtUtcMidnightWhateverTheJvmsZone() {
        TimeZone before = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            mongo.save(new Dated("d-1", LocalDate.parse("2026-01-31")), "dates");
            TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));

            assertThat(mongo.findById("d-1", Dated.class, "dates").day()).isEqualTo(LocalDate.parse("2026-01-31"));
            assertThat(mongo.getCollection("dates").find().first().getDate("day").toInstant())
                    .isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void aDocumentIsStoredWithoutTheHintAndOneWithItReadsTheSame() {
        HistoryEntry entry = new HistoryEntry("c-1/0000000000000000001/e", "c-1", 1, "e-1", "PURCHASE",
                Instant.parse("2025-06-01T10:00:00Z"), Instant.parse("2025-06-01T10:00:01Z"), null,
                Map.of("orderId", "o-1", "amount", Map.of("value", "12.50", "currency", "EUR")));
        mongo.save(entry, "items");

        Document stored = mongo.getCollection("items").find().first();
        assertThat(stored).doesNotContainKey("_class").containsEntry("customerId", "c-1");
        assertThat(mongo.findById(entry.id(), HistoryEntry.class, "items")).isEqualTo(entry);

        Document old = new Document(stored);
        old.put("_id", "c-1/0000000000000000002/e");
        old.put("_class", HistoryEntry.class.getName());
        mongo.getCollection("items").insertOne(old);
        assertThat(mongo.findById("c-1/0000000000000000002/e", HistoryEntry.class, "items").details())
                .isEqualTo(entry.details());
    }
}
