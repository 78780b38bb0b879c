package io.crmhistory.bench.baseline;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The baseline pays one password check per client, as the product does, and a wrong password is always checked. */
class RememberedCredentialsTest {

    private final AtomicInteger checks = new AtomicInteger();
    private final AuthenticationProvider verifier = new AuthenticationProvider() {
        @Override
        public Authentication authenticate(Authentication request) {
            checks.incrementAndGet();
            if (!"secret".equals(request.getCredentials())) {
                throw new BadCredentialsException("wrong");
            }
            return UsernamePasswordAuthenticationToken.authenticated(request.getName(), null,
                    AuthorityUtils.createAuthorityList("ROLE_WRITER"));
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return true;
        }
    };

    @Test
    void aVerifiedPasswordIsCheckedOnceAndAWrongOneEveryTime() {
        RememberedCredentials remembered = new RememberedCredentials(verifier, Duration.ofMinutes(5));

        for (int i = 0; i < 3; i++) {
            Authentication user = remembered.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated("bench", "secret"));
            assertThat(user.isAuthenticated()).isTrue();
            assertThat(user.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_WRITER");
        }
        assertThat(checks).hasValue(1);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> remembered.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated("bench", "guess")))
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThat(checks).hasValue(3);
    }

    @Test
    void aRememberedPasswordExpires() {
        RememberedCredentials remembered = new RememberedCredentials(verifier, Duration.ZERO);

        remembered.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("bench", "secret"));
        remembered.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("bench", "secret"));

        assertThat(checks).hasValue(2);
    }
}
