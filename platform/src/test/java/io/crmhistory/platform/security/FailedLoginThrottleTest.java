package io.crmhistory.platform.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.platform.web.ProblemResponses;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Made-up passwords from one address stop costing a hash once it failed the limit; others are not held back. */
class FailedLoginThrottleTest {

    private final AtomicInteger hashed = new AtomicInteger();
    private final AuthenticationProvider verifier = VerifiedCredentialsCacheTest.verifier();
    private final VerifiedCredentialsCache logins = new VerifiedCredentialsCache(new FailedLoginThrottle(
            VerifiedCredentialsCacheTest.counting(verifier, hashed), 3, Duration.ofMinutes(1)), Duration.ofMinutes(5), 100);

    @Test
    void anAddressThatFailedTheLimitIsRefusedWithoutAHash() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> logins.authenticate(request("10.0.0.1", "writer", "guess")))
                    .isInstanceOf(BadCredentialsException.class);
        }

        assertThatThrownBy(() -> logins.authenticate(request("10.0.0.1", "writer", "s3cret")))
                .isInstanceOf(FailedLoginThrottle.TooManyFailedLogins.class);
        assertThat(hashed).as("refused without checking").hasValue(3);
        assertThat(logins.authenticate(request("10.0.0.2", "writer", "s3cret")).isAuthenticated())
                .as("another address").isTrue();
    }

    /** Credentials verified before are let in from a refused address (clients sharing it behind a NAT). */
    @Test
    void credentialsVerifiedBeforeAreLetInFromARefusedAddress() {
        logins.authenticate(request("10.0.0.1", "reader", "other"));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> logins.authenticate(request("10.0.0.1", "writer", "guess")))
                    .isInstanceOf(BadCredentialsException.class);
        }

        assertThat(logins.authenticate(request("10.0.0.1", "reader", "other")).isAuthenticated()).isTrue();
    }

    @Test
    void theWindowEndsTheRefusal() {
        FailedLoginThrottle briefly = new FailedLoginThrottle(verifier, 1, Duration.ofMillis(50));
        assertThatThrownBy(() -> briefly.authenticate(request("10.0.0.1", "writer", "guess")))
                .isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> briefly.authenticate(request("10.0.0.1", "writer", "s3cret")))
                .isInstanceOf(FailedLoginThrottle.TooManyFailedLogins.class);

        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> briefly.authenticate(request("10.0.0.1", "writer", "s3cret")).isAuthenticated());
    }

    @Test
    void aRefusalIsA429WithRetryAfterNamingAuthorization() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        new ProblemSecurityHandlers(new ProblemResponses(new ObjectMapper())).commence(new MockHttpServletRequest(),
                response, new FailedLoginThrottle.TooManyFailedLogins(Duration.ofMinutes(1)));

        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getHeader("Retry-After")).isEqualTo("60");
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"field\":\"Authorization\"", "too many failed logins");
    }

    private static Authentication request(String address, String user, String password) {
        UsernamePasswordAuthenticationToken request = UsernamePasswordAuthenticationToken.unauthenticated(user, password);
        request.setDetails(new WebAuthenticationDetails(address, null));
        return request;
    }
}
