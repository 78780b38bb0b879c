package io.crmhistory.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.crmhistory.platform.config.RefusedSetting;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refuses, without checking them, the credentials of a client address that failed {@code limit} times within
 * {@code window}: every failed check costs a bcrypt hash (about 60 ms of a core at the default strength), so without a
 * limit anyone, account or not, could keep the cores busy with made-up passwords, and guess weak ones online. Sits
 * behind the cache of verified credentials, so a client whose credentials were verified before is let in even from an
 * address that is refused (a shared NAT); only new checks are refused. The address is the connection's (behind a proxy,
 * configure Spring's forwarded-header handling so it is the client's).
 */
final class FailedLoginThrottle implements AuthenticationProvider {

    /** What the entry point answers with 429 and when to retry. */
    static final class TooManyFailedLogins extends AuthenticationException {

        private final Duration retryAfter;

        TooManyFailedLogins(Duration retryAfter) {
            super("too many failed logins from this address");
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }

    private final AuthenticationProvider verifier;
    private final int limit;
    private final Duration window;
    /** Failures per client address, counted from the first one in the window (an entry expires with it). */
    private final Cache<String, AtomicInteger> failures;

    FailedLoginThrottle(AuthenticationProvider verifier, int limit, Duration window) {
        if (limit < 1) {
            throw new RefusedSetting("crm.security.failed-logins.limit", "must be at least 1, not " + limit);
        }
        this.verifier = verifier;
        this.limit = limit;
        this.window = window;
        this.failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
    }

    @Override
    public Authentication authenticate(Authentication request) throws AuthenticationException {
        String client = clientOf(request);
        AtomicInteger failed = failures.getIfPresent(client);
        if (failed != null && failed.get() >= limit) {
            throw new TooManyFailedLogins(window);
        }
        try {
            return verifier.authenticate(request);
        } catch (BadCredentialsException wrong) {
            // Spring answers an unknown user as bad credentials too (after hashing a dummy password the same way).
            failures.get(client, address -> new AtomicInteger()).incrementAndGet();
            throw wrong;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return verifier.supports(authentication);
    }

    private static String clientOf(Authentication request) {
        return request.getDetails() instanceof WebAuthenticationDetails details && details.getRemoteAddress() != null
                ? details.getRemoteAddress() : "unknown";
    }
}
