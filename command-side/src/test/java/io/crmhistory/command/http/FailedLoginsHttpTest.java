package io.crmhistory.command.http;

import io.crmhistory.platform.testing.TemporaryDataDirectory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Made-up passwords over real HTTP: after the limit of failures from one address, its new credentials are refused
 * with a 429 and Retry-After before any hash is computed; credentials verified before still get in.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "crm.security.users.writer.password=writer-pw",
        "crm.security.users.writer.roles=writer",
        "crm.security.users.ops.password=ops-pw",
        "crm.security.users.ops.roles=ops",
        "crm.security.bcrypt-strength=4",
        "crm.security.failed-logins.limit=3"})
class FailedLoginsHttpTest {

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("crm.data-dir", TemporaryDataDirectory.create()::toString);
    }

    @Autowired
    TestRestTemplate http;

    @Test
    void anAddressThatKeptFailingIsRefusedWith429UntilTheWindowEnds() {
        assertThat(metrics("ops", "ops-pw").getStatusCode()).as("verified before the guessing").isEqualTo(HttpStatus.OK);
        for (int i = 0; i < 3; i++) {
            assertThat(metrics("writer", "guess-" + i).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        }

        ResponseEntity<String> refused = metrics("writer", "writer-pw");

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("60");
        assertThat(refused.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(refused.getBody()).contains("\"field\":\"Authorization\"", "too many failed logins");
        assertThat(metrics("ops", "ops-pw").getStatusCode()).as("credentials verified before").isEqualTo(HttpStatus.OK);
    }

    private ResponseEntity<String> metrics(String user, String password) {
        return http.withBasicAuth(user, password).getForEntity("/actuator/metrics", String.class);
    }
}
