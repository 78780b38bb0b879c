package io.crmhistory.query.infrastructure;

import io.crmhistory.embeddedmongo.ReadModelBackend;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import io.crmhistory.platform.config.DataDirectory;
import io.crmhistory.platform.privacy.DerivedKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.Document;
import org.springframework.boot.actuate.health.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedMongoConfigurationTest {

    @TempDir
    Path dir;

    private final DerivedKeys keys = new DerivedKeys(new SecretKeySpec(new byte[32], "AES"));

    @Test
    void readModelsSurviveRestartsEncryptedAndWithoutPlaintextInTheFile() throws Exception {
        for (int start = 1; start <= 3; start++) {
            MongoServer server = start();
            try (MongoClient client = connect(server)) {
                var customers = client.getDatabase("crm").getCollection("customers");
                assertThat(customers.countDocuments()).as("documents kept from the earlier starts").isEqualTo(start - 1);
                customers.insertOne(new Document("_id", "c-" + start).append("email", "ada.lovelace@example.com"));
            }
            server.shutdown();
        }
        byte[] file = Files.readAllBytes(dir.resolve(EmbeddedMongoConfiguration.FILE_NAME));
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain("ada.lovelace");
    }

    @Test
    void aFileOfTheEarlierFormatIsDiscardedAndAnUnreadableOneRebuilt() throws Exception {
        Files.writeString(dir.resolve("readmodel.mv"), "earlier format");
        Files.writeString(dir.resolve("readmodel-2.mv"), "index keys Java-serialized");
        Files.writeString(dir.resolve("readmodel-3.mv"), "index trees 30 levels deep");
        Files.writeString(dir.resolve(EmbeddedMongoConfiguration.FILE_NAME), "not an MVStore file at all, padded "
                + "x".repeat(8192));

        MongoServer server = start();
        try (MongoClient client = connect(server)) {
            var customers = client.getDatabase("crm").getCollection("customers");
            assertThat(customers.countDocuments()).isZero();
            customers.insertOne(new Document("_id", "c-1"));
        } finally {
            server.shutdown();
        }
        assertThat(dir.resolve("readmodel.mv")).doesNotExist();
        assertThat(dir.resolve("readmodel-2.mv")).doesNotExist();
        assertThat(dir.resolve("readmodel-3.mv")).doesNotExist();

        // The file made in place of the unreadable one opens again (with the same key) and keeps its data.
        MongoServer restarted = start();
        try (MongoClient client = connect(restarted)) {
            assertThat(client.getDatabase("crm").getCollection("customers").countDocuments()).isEqualTo(1);
        } finally {
            restarted.shutdown();
        }
    }

    @Test
    void theFilesSizeAndLiveShareArePublished() throws Exception {
        EmbeddedMongoConfiguration configuration = new EmbeddedMongoConfiguration();
        ReadModelBackend backend = configuration.readModelBackend(new DataDirectory(dir), keys, true, 16,
                Duration.ofHours(1), 64, 25, 16, true);
        MeterRegistry registry = new SimpleMeterRegistry();
        configuration.readModelFileMetrics(backend).bindTo(registry);
        MongoServer server = configuration.embeddedMongoServer(backend);
        try (MongoClient client = connect(server)) {
            client.getDatabase("crm").getCollection("customers").insertOne(new Document("_id", "c-1"));
            backend.commit();
            // The store's own size; the file on disk adds the encryption's header block.
            assertThat(registry.get("crm.readmodel.file.size").gauge().value()).isPositive()
                    .isBetween(Files.size(dir.resolve(EmbeddedMongoConfiguration.FILE_NAME)) - 4096.0,
                            (double) Files.size(dir.resolve(EmbeddedMongoConfiguration.FILE_NAME)));
            assertThat(registry.get("crm.readmodel.file.live").gauge().value()).isBetween(0.01, 1.0);
            assertThat(configuration.readModelFileHealthIndicator(backend).health().getStatus()).isEqualTo(Status.UP);
        } finally {
            server.shutdown();
        }
        assertThat(registry.get("crm.readmodel.file.size").gauge().value()).isNaN();
        assertThat(configuration.readModelFileHealthIndicator(backend).health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void pagesAreCompressedAndAFileWrittenUncompressedOpensCompressed() throws Exception {
        Path plain = dir.resolve("plain");
        Path compressed = dir.resolve("compressed");
        for (Path each : new Path[] {plain, compressed}) {
            MongoServer server = start(each, each == compressed);
            try (MongoClient client = connect(server)) {
                insertHistoryLikeItems(client, 0, 5_000);
            } finally {
                server.shutdown();
            }
        }
        long plainBytes = Files.size(plain.resolve(EmbeddedMongoConfiguration.FILE_NAME));
        long compressedBytes = Files.size(compressed.resolve(EmbeddedMongoConfiguration.FILE_NAME));
        // About half on a quiet machine; a busy one lets the store's background writer commit more often between the
        // inserts, and each commit leaves pages behind (815,104 of 1,626,112 bytes seen under a load on both cores).
        // Without compression the two files are about the same size.
        assertThat(compressedBytes).as("compressed file (plain one: %d bytes)", plainBytes)
                .isLessThan(plainBytes * 3 / 5);

        // A file written before compression was on: its pages are read as they are, new ones written compressed.
        MongoServer reopened = start(plain, true);
        try (MongoClient client = connect(reopened)) {
            insertHistoryLikeItems(client, 5_000, 100);
            var items = client.getDatabase("crm").getCollection("items");
            assertThat(items.countDocuments()).isEqualTo(5_100);
            assertThat(items.find(new Document("_id", "c-0042/0000000000000000007")).first())
                    .containsEntry("type", "CONTACT_RECORDED");
        } finally {
            reopened.shutdown();
        }
    }

    /** Documents shaped like the history's items: the same field names and similar values in each. */
    private static void insertHistoryLikeItems(MongoClient client, int from, int count) {
        var items = client.getDatabase("crm").getCollection("items");
        for (int i = from; i < from + count; i++) {
            items.insertOne(new Document("_id", String.format("c-%04d/%019d", i / 100, i % 100))
                    .append("customerId", String.format("c-%04d", i / 100)).append("sequence", (long) (i % 100))
                    .append("type", "CONTACT_RECORDED").append("occurredAt", new java.util.Date(1_700_000_000_000L + i))
                    .append("summary", "Inbound email contact about order " + (i * 7919 % 100_000)));
        }
    }

    private MongoServer start() throws Exception {
        return start(dir, true);
    }

    private MongoServer start(Path directory, boolean compress) throws Exception {
        Files.createDirectories(directory);
        EmbeddedMongoConfiguration configuration = new EmbeddedMongoConfiguration();
        return configuration.embeddedMongoServer(configuration.readModelBackend(new DataDirectory(directory), keys,
                true, 16, Duration.ofMillis(100), 64, 50, 32, compress));
    }

    private static MongoClient connect(MongoServer server) {
        InetSocketAddress address = server.getLocalAddress();
        return MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
    }
}
