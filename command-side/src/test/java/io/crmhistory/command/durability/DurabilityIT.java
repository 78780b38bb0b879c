package io.crmhistory.command.durability;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durable on acknowledgement: the packaged jar runs as its own process; every command answered 2xx
 * must survive a SIGKILL the instant after the answer, and a restart keeps everything. Runs in
 * the integration-test phase ({@code ./mvnw verify}), after the jar is packaged.
 */
class DurabilityIT {

    @TempDir
    Path dataDir;
    private Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int port;

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void acknowledgedEventsSurviveAKillAndARestart() throws Exception {
        start();
        List<String> acknowledged = new ArrayList<>();
        int status = post("/api/customers", "{\"customerId\":\"durable\",\"name\":\"Ada\"}");
        assertThat(status).isEqualTo(201);
        for (int i = 0; i < 30; i++) {
            if (post("/api/customers/durable/purchases", "{\"orderId\":\"o-" + i + "\",\"occurredAt\":\"2025-12-24T18:00:00Z\","
                    + "\"amount\":{\"value\":\"1.00\",\"currency\":\"EUR\"}}") == 201) {
                acknowledged.add("o-" + i);
            }
        }
        // Kill -9 right after the last 2xx: no shutdown hook, no flush.
        process.destroyForcibly().waitFor();
        assertThat(acknowledged).hasSize(30);

        start();
        for (String orderId : acknowledged) {
            // Re-sending each acknowledged purchase must find it recorded (idempotent retry, nothing new).
            HttpResponse<String> retry = send("/api/customers/durable/purchases", "{\"orderId\":\"" + orderId + "\","
                    + "\"occurredAt\":\"2025-12-24T18:00:00Z\",\"amount\":{\"value\":\"1.00\",\"currency\":\"EUR\"}}");
            assertThat(retry.statusCode()).isEqualTo(201);
            assertThat(retry.body()).contains("\"recorded\":false");
        }
        HttpResponse<String> next = send("/api/customers/durable/purchases", "{\"orderId\":\"o-new\","
                + "\"occurredAt\":\"2025-12-24T18:00:00Z\",\"amount\":{\"value\":\"1.00\",\"currency\":\"EUR\"}}");
        // registration, first purchase, the move to ACTIVE, 29 more purchases: the next is sequence 32
        assertThat(next.body()).contains("\"version\":32", "\"recorded\":true");

        process.destroy();
        process.waitFor();
        start();
        HttpResponse<String> afterCleanRestart = send("/api/customers/durable/purchases", "{\"orderId\":\"o-new\","
                + "\"occurredAt\":\"2025-12-24T18:00:00Z\",\"amount\":{\"value\":\"1.00\",\"currency\":\"EUR\"}}");
        assertThat(afterCleanRestart.body()).contains("\"version\":32", "\"recorded\":false");
    }

    private void start() throws IOException {
        port = freePort();
        Path jar = Path.of(System.getProperty("crm.command.jar", "target/command-side.jar")).toAbsolutePath();
        Path log = dataDir.resolve("command-side-" + port + ".log");
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--server.port=" + port, "--crm.data-dir=" + dataDir)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(process.isAlive()).as("command side exited; see " + log).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private int post(String path, String body) throws Exception {
        return send(path, body).statusCode();
    }

    private HttpResponse<String> send(String path, String body) throws Exception {
        Properties credentials = new Properties();
        try (var reader = Files.newBufferedReader(dataDir.resolve("credentials.properties"))) {
            credentials.load(reader);
        }
        String auth = Base64.getEncoder().encodeToString(("writer:" + credentials.getProperty("writer"))
                .getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").header("Authorization", "Basic " + auth)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
