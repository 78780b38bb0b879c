package io.crmhistory.bench.baseline;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verified credentials remembered for a while, as the product remembers them (its {@code VerifiedCredentialsCache};
 * the bench does not depend on the product's platform module, whose auto-configuration would change the baseline):
 * both systems then pay one password hash per client, not one per request, and the ingest compares their write paths.
 * Until session 67 the baseline paid bcrypt on every request: three quarters of its CPU at 16 clients in session 67's
 * large run (docs/benchmarks-log.md), so the ratios of earlier runs flatter the product.
 */
final class RememberedCredentials implements AuthenticationProvider {

    private record Remembered(Authentication authentication, long expiresAtNanos) {
    }

    private final AuthenticationProvider verifier;
    private final long ttlNanos;
    private final Map<String, Remembered> verified = new ConcurrentHashMap<>();

    RememberedCredentials(AuthenticationProvider verifier, Duration ttl) {
        this.verifier = verifier;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public Authentication authenticate(Authentication request) throws AuthenticationException {
        if (!(request.getCredentials() instanceof String password)) {
            return verifier.authenticate(request);
        }
        String key = request.getName() + '\0' + sha256(password);
        Remembered known = verified.get(key);
        if (known != null && System.nanoTime() - known.expiresAtNanos() < 0) {
            Authentication user = known.authentication();
            return UsernamePasswordAuthenticationToken.authenticated(user.getPrincipal(), null, user.getAuthorities());
        }
        Authentication result = verifier.authenticate(request);
        if (result != null && result.isAuthenticated()) {
            verified.put(key, new Remembered(result, System.nanoTime() + ttlNanos));
        }
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return verifier.supports(authentication);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
