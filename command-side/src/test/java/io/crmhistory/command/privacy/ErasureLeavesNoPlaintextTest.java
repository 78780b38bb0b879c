package io.crmhistory.command.privacy;

import io.crmhistory.command.CommandSideApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After an erasure and a clean shutdown, the customer's personal data is nowhere in the data
 * directory's files as plaintext: not in the event store (events, snapshots, old MVStore pages),
 * not in any other file, and not in the log. It never was: the events only ever held ciphertext.
 */
@ExtendWith(OutputCaptureExtension.class)
class ErasureLeavesNoPlaintextTest {

    static final String NAME = "Zelda Quixotic-Marchbanks";
    static final String NEW_NAME = "Zelda Quixotic-Whitlow";
    static final String EMAIL = "zelda.q.marchbanks@example.org";
    static final String PHONE = "+44 20 7946 0123";
    static final String NOTES = "asked about the yellow umbrella order";

    @TempDir
    Path dataDir;

    @Test
    void noPersonalFieldIsFoundInTheRawBytesOfTheDataDirectoryOrTheLog(CapturedOutput output) throws IOException {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CommandSideApplication.class).run(
                "--server.port=0", "--crm.data-dir=" + dataDir, "--crm.clock.fixed=2026-01-01T00:00:00Z",
                "--crm.security.users.writer.password=writer-pw", "--crm.security.users.writer.roles=writer",
                "--crm.security.users.ops.password=ops-pw", "--crm.security.users.ops.roles=ops",
                "--crm.security.bcrypt-strength=4", "--crm.snapshot.threshold=2")) {
            RestTemplate writer = client(app, "writer");
            send(writer, HttpMethod.POST, "/api/customers", "{\"customerId\":\"c-z\",\"name\":\"" + NAME + "\",\"email\":\""
                    + EMAIL + "\",\"phone\":\"" + PHONE + "\"}");
            send(writer, HttpMethod.POST, "/api/customers/c-z/contacts", "{\"contactId\":\"k-1\",\"channel\":\"PHONE\","
                    + "\"direction\":\"INBOUND\",\"occurredAt\":\"2025-12-24T18:00:00+01:00\",\"notes\":\"" + NOTES + "\"}");
            send(writer, HttpMethod.PATCH, "/api/customers/c-z", "{\"name\":\"" + NEW_NAME + "\"}");
            for (int order = 1; order <= 4; order++) {
                send(writer, HttpMethod.POST, "/api/customers/c-z/purchases", "{\"orderId\":\"o-" + order + "\","
                        + "\"occurredAt\":\"2025-12-24T18:05:00+01:00\",\"amount\":{\"value\":\"10.00\",\"currency\":\"EUR\"}}");
            }
            // a conflict and a validation error carrying personal data must not echo it
            ResponseEntity<String> taken = send(writer, HttpMethod.POST, "/api/customers",
                    "{\"name\":\"Other\",\"email\":\"" + EMAIL + "\"}");
            assertThat(taken.getStatusCode().value()).isEqualTo(409);
            assertThat(taken.getBody()).doesNotContain(EMAIL);

            ResponseEntity<String> erased = send(client(app, "ops"), HttpMethod.DELETE, "/api/customers/c-z/personal-data",
                    "{\"reason\":\"erasure request 42\"}");
            assertThat(erased.getStatusCode().value()).isEqualTo(200);
        }

        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dataDir)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("eventstore.mv.db", "master.key");
        for (Path file : files) {
            String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String secret : List.of(NAME, NEW_NAME, EMAIL, PHONE, NOTES, "Quixotic", "marchbanks")) {
                assertThat(bytes).as("%s in %s", secret, file.getFileName()).doesNotContainIgnoringCase(secret);
            }
        }
        assertThat(output.getAll()).doesNotContain("Quixotic", EMAIL, PHONE, NOTES);
    }

    private static RestTemplate client(ConfigurableApplicationContext app, String user) {
        return new RestTemplateBuilder().rootUri("http://localhost:" + app.getEnvironment().getProperty("local.server.port"))
                .basicAuthentication(user, user + "-pw")
                .errorHandler(response -> false)
                .build();
    }

    private static ResponseEntity<String> send(RestTemplate http, HttpMethod method, String path, String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        ResponseEntity<String> response = http.exchange(path, method, new HttpEntity<>(body, headers), String.class);
        assertThat(response.getStatusCode().value()).as("%s %s: %s", method, path, response.getBody()).isLessThan(500);
        return response;
    }
}
