package io.crmhistory.platform.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifiedCredentialsCacheTest {

    private final AtomicInteger slowChecks = new AtomicInteger();
    private final VerifiedCredentialsCache cache = new VerifiedCredentialsCache(counting(verifier(), slowChecks), Duration.ofMinutes(5), 100);

    @Test
    void theSameCorrectCredentialsAreHashedOnlyOnce() {
        Authentication first = cache.authenticate(request("writer", "s3cret"));
        Authentication second = cache.authenticate(request("writer", "s3cret"));

        assertThat(slowChecks).hasValue(1);
        assertThat(second.isAuthenticated()).isTrue();
        assertThat(second.getName()).isEqualTo("writer");
        assertThat(second.getAuthorities()).isEqualTo(first.getAuthorities());
        assertThat(second.getCredentials()).isNull();
    }

    @Test
    void aWrongPasswordIsNeverAcceptedAndNeverCached() {
        cache.authenticate(request("writer", "s3cret"));

        assertThatThrownBy(() -> cache.authenticate(request("writer", "guess"))).isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> cache.authenticate(request("writer", "guess"))).isInstanceOf(BadCredentialsException.class);
        assertThat(slowChecks).as("every failure pays the full hash").hasValue(3);
    }

    @Test
    void anotherUserWithTheSamePasswordIsCheckedOnItsOwn() {
        cache.authenticate(request("writer", "s3cret"));

        assertThatThrownBy(() -> cache.authenticate(request("reader", "s3cret"))).isInstanceOf(BadCredentialsException.class);
    }

    private static UsernamePasswordAuthenticationToken request(String user, String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated(user, password);
    }

    static DaoAuthenticationProvider verifier() {
        BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(4);
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(new InMemoryUserDetailsManager(
                User.withUsername("writer").password(encoder.encode("s3cret")).roles("WRITER").build(),
                User.withUsername("reader").password(encoder.encode("other")).roles("READER").build()));
        provider.setPasswordEncoder(encoder);
        return provider;
    }

    /** {@code delegate}, counting its checks in {@code checks}. */
    static AuthenticationProvider counting(AuthenticationProvider delegate, AtomicInteger checks) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                checks.incrementAndGet();
                return delegate.authenticate(authentication);
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return delegate.supports(authentication);
            }
        };
    }
}
