package io.crmhistory.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Remembers, for a short while, credentials that were verified, so a client sending the same HTTP
 * Basic header on every call pays for the slow password hash (bcrypt, ~100 ms of CPU on purpose)
 * once, not on every request: without it the password check, not the work, bounds the throughput.
 * <p>
 * The cache never holds a password: its key is an HMAC of user and password under a random key that
 * lives only in this process's memory. Only successes are cached (failures always pay the full
 * price, so guessing stays slow), and an entry expires after {@code ttl}, so a password changed in
 * the configuration stops working within that time at the latest after a restart of the process.
 */
final class VerifiedCredentialsCache implements AuthenticationProvider {

    private final AuthenticationProvider verifier;
    private final Cache<String, Authentication> verified;
    private final HmacSha256 fingerprints;

    VerifiedCredentialsCache(AuthenticationProvider verifier, Duration ttl, long maximumSize) {
        this.verifier = verifier;
        this.verified = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximumSize).build();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.fingerprints = new HmacSha256(key);
    }

    @Override
    public Authentication authenticate(Authentication request) throws AuthenticationException {
        if (!(request.getCredentials() instanceof String password)) {
            return verifier.authenticate(request);
        }
        String key = fingerprint(request.getName(), password);
        Authentication known = verified.getIfPresent(key);
        if (known != null) {
            return UsernamePasswordAuthenticationToken.authenticated(known.getPrincipal(), null, known.getAuthorities());
        }
        Authentication result = verifier.authenticate(request);
        if (result != null && result.isAuthenticated()) {
            verified.put(key, result);
        }
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return verifier.supports(authentication);
    }

    private String fingerprint(String user, String password) {
        return HexFormat.of().formatHex(fingerprints.of(user.getBytes(StandardCharsets.UTF_8), new byte[] {0},
                password.getBytes(StandardCharsets.UTF_8)));
    }
}
