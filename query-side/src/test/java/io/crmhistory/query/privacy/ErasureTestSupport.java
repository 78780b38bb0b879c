package io.crmhistory.query.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.api.customer.event.CustomerEvent;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** What the erasure tests share: appending events as the command side stores them, and reading over HTTP. */
final class ErasureTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ErasureTestSupport() {
    }

    static void append(EventStore eventStore, String customerId, long sequence, CustomerEvent event) {
        eventStore.publish(new GenericDomainEventMessage<>("Customer", customerId, sequence, event,
                Map.of("principal", "test", "source", "api")));
    }

    static HttpResponse<String> get(int port, String path, String credentials, String accept)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Basic " + Base64.getEncoder()
                                .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                        .header("Accept", accept)
                        .timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The reader's JSON answer, once the path answers 200 (within 30 s). */
    static JsonNode awaitJson(int port, String path) {
        @SuppressWarnings("unchecked")
        HttpResponse<String>[] last = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = get(port, path, "reader:reader-secret", "application/json");
            return last[0].statusCode() == 200;
        });
        try {
            return JSON.readTree(last[0].body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every document of every collection but {@code except}, as JSON text, to search for what must be gone. */
    static String documents(MongoTemplate mongo, String... except) {
        java.util.Set<String> skipped = java.util.Set.of(except);
        StringBuilder all = new StringBuilder();
        for (String collection : mongo.getCollectionNames()) {
            if (!skipped.contains(collection)) {
                mongo.getCollection(collection).find().forEach((Document document) -> all.append(document.toJson()));
            }
        }
        return all.toString();
    }
}
