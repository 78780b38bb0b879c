package io.crmhistory.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A SIGTERM that arrives while an import is streaming in: Spring's graceful shutdown lets the request finish, so every
 * line the client sends before it closes the body is recorded and counted, and the command side then exits. Until
 * session 28 H2's own shutdown hook closed the event store the moment the signal arrived, and every line still queued
 * failed with "internal error".
 */
class GracefulStopEndToEndIT {

    private static final int LINES_BEFORE_SIGNAL = 3_000;
    private static final int LINES_AFTER_SIGNAL = 3_000;

    @TempDir
    Path dataDir;

    @Test
    void anImportInProgressWhenTheSideIsAskedToStopIsRecordedToTheLastLine() throws Exception {
        RunningSide commandSide = RunningSide.commandSide(dataDir);
        try {
            PipedInputStream body = new PipedInputStream(1 << 16);
            CompletableFuture<HttpResponse<String>> answer;
            try (OutputStream lines = new PipedOutputStream(body)) {
                answer = HttpClient.newHttpClient().sendAsync(importRequest(commandSide, body),
                        HttpResponse.BodyHandlers.ofString());
                writeRegistrations(lines, 0, LINES_BEFORE_SIGNAL);
                // The signal must find the import begun. Lines sent can still wait in the sockets' buffers before
                // the side has begun the request (a loaded machine, session 59), and a graceful stop does not begin a
                // request: its connection is closed with nothing of it recorded, for the client to send it again.
                CrmClient client = new CrmClient(commandSide);
                await().atMost(Duration.ofSeconds(60)).until(() -> answer.isDone() || commandsRecorded(client) > 0);
                assertThat(answer.isDone()).as("the import answered before its body was complete").isFalse();

                commandSide.signalStop();
                writeRegistrations(lines, LINES_BEFORE_SIGNAL, LINES_AFTER_SIGNAL);
            }
            HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);

            String shortBody = response.body().substring(0, Math.min(500, response.body().length()));
            assertThat(response.statusCode()).as(shortBody).isEqualTo(200);
            JsonNode report = new ObjectMapper().readTree(response.body());
            assertThat(report.get("rejected").asLong()).as(shortBody).isZero();
            assertThat(report.get("accepted").asLong()).isEqualTo(LINES_BEFORE_SIGNAL + LINES_AFTER_SIGNAL);
            assertThat(commandSide.awaitExit(Duration.ofSeconds(60))).as("exit code after SIGTERM").isIn(0, 143);

            // Every counted line is in the store: the same lines imported again are all idempotent retries.
            commandSide.start();
            Path sameLines = dataDir.resolve("same-lines.ndjson");
            try (OutputStream out = Files.newOutputStream(sameLines)) {
                writeRegistrations(out, 0, LINES_BEFORE_SIGNAL + LINES_AFTER_SIGNAL);
            }
            JsonNode again = new CrmClient(commandSide).postFile("/api/import", "application/x-ndjson", sameLines).json();
            assertThat(again.get("duplicates").asLong()).as(again.toString())
                    .isEqualTo(LINES_BEFORE_SIGNAL + LINES_AFTER_SIGNAL);
        } finally {
            commandSide.close();
        }
    }

    /** Commands the side has handled, from its own meter (none before the first). */
    private static double commandsRecorded(CrmClient client) {
        CrmClient.Response metric = client.get("/actuator/metrics/crm.commands");
        if (metric.status() != 200) {
            return 0;
        }
        for (JsonNode measurement : metric.json().get("measurements")) {
            if ("COUNT".equals(measurement.get("statistic").asText())) {
                return measurement.get("value").asDouble();
            }
        }
        return 0;
    }

    private static HttpRequest importRequest(RunningSide side, PipedInputStream body) {
        String credentials = RunningSide.USER + ":" + RunningSide.PASSWORD;
        return HttpRequest.newBuilder(side.uri("/api/import"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                .build();
    }

    private static void writeRegistrations(OutputStream out, int first, int count) throws IOException {
        for (int i = first; i < first + count; i++) {
            out.write((registration(i) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
    }

    private static String registration(int i) {
        return "{\"type\":\"RegisterCustomer\",\"customerId\":\"stop-" + i + "\",\"name\":\"Customer " + i
                + "\",\"acquisitionChannel\":\"web\",\"registeredAt\":\"2025-06-01T00:00:00Z\"}";
    }
}
