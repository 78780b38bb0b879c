package io.crmhistory.bench.run;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The load generator's client against a real (JDK) HTTP server on a free port. */
class HttpTargetTest {

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger dropNext = new AtomicInteger();
    private HttpServer server;
    private HttpTarget target;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            if (dropNext.getAndSet(0) > 0) {
                exchange.close(); // no answer at all: the connection is closed under the request
                return;
            }
            boolean missing = exchange.getRequestURI().getPath().contains("missing");
            byte[] answer = (missing ? "{\"title\":\"Not Found\",\"detail\":\"no customer é\"}" : "{\"version\":7}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", missing ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(missing ? 404 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        target = new HttpTarget("test", URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "ann", "secret");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsTheCommandWithItsCredentialsAndReadsTheAnswer() {
        HttpTarget.Response response = target.send("POST", "/api/customers/c-1/purchases", "{\"orderId\":\"o-1\"}");

        assertThat(response.ok()).isTrue();
        assertThat(response.json().path("version").asLong()).isEqualTo(7);
        assertThat(received).containsExactly("POST /api/customers/c-1/purchases Basic YW5uOnNlY3JldA== "
                + "application/json; charset=UTF-8 {\"orderId\":\"o-1\"}");
    }

    @Test
    void aRejectionIsAnAnswerWithItsBodyNotAnException() {
        HttpTarget.Response response = target.get("/api/customers/missing");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.ok()).isFalse();
        assertThat(response.json().path("detail").asText()).isEqualTo("no customer é");
    }

    @Test
    void aFileIsPostedWhole(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("lines.ndjson"), "{\"a\":1}\n{\"a\":2}\n");

        assertThat(target.postFile("/api/import", "application/x-ndjson", file).ok()).isTrue();
        assertThat(received).containsExactly("POST /api/import Basic YW5uOnNlY3JldA== application/x-ndjson "
                + "{\"a\":1}\n{\"a\":2}\n");
    }

    @Test
    void aRequestWhoseConnectionFailsIsReportedAndNotSentAgain() {
        dropNext.set(1);
        assertThatThrownBy(() -> target.send("POST", "/api/customers/c-1/purchases", "{}"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("POST");

        // A read too: a retried read would be measured as one slow read.
        dropNext.set(1);
        assertThatThrownBy(() -> target.get("/api/customers/c-1"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("GET");

        assertThat(received).hasSize(2);
    }

    @Test
    void aProbeOfAServerThatIsNotThereIsNull() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpTarget nobody = new HttpTarget("nobody", URI.create("http://127.0.0.1:" + closedPort), "ann", "secret");

        assertThat(nobody.getQuietly("/actuator/health")).isNull();
    }
}
