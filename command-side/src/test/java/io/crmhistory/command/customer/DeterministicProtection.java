package io.crmhistory.command.customer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.crmhistory.platform.audit.EventHashChain;
import io.crmhistory.platform.privacy.CustomerKeyStore;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Encryption made repeatable for aggregate tests, so expected events can be written down: each
 * customer's key is derived from their id, and the IV is fixed. Never like this outside tests (a
 * fixed IV under one key breaks GCM); the real protector draws a random IV per value.
 */
final class DeterministicProtection {

    private DeterministicProtection() {
    }

    static PersonalDataProtector protector() {
        return new PersonalDataProtector(new DerivedKeys(), () -> new byte[12]);
    }

    /** The stored form of {@code plaintext} as {@code field} of customer {@link CustomerTest#ID}. */
    static String sealed(String field, String plaintext) {
        return protector().protect(CustomerTest.ID, field, plaintext);
    }

    /** The ObjectMapper as the application configures it (platform defaults), for the hash chain and snapshots. */
    static ObjectMapper applicationMapper() {
        return Jackson2ObjectMapperBuilder.json()
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS,
                        DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
    }

    static EventHashChain chain() {
        return new EventHashChain(applicationMapper());
    }

    /** Keys derived from the customer id, until destroyed. */
    static final class DerivedKeys implements CustomerKeyStore {

        final Set<String> destroyed = new HashSet<>();

        @Override
        public Optional<SecretKey> find(String customerId) {
            return destroyed.contains(customerId) ? Optional.empty() : Optional.of(derive(customerId));
        }

        @Override
        public SecretKey findOrCreate(String customerId) {
            destroyed.remove(customerId);
            return derive(customerId);
        }

        @Override
        public void destroy(String customerId) {
            destroyed.add(customerId);
        }

        @Override
        public void evict(String customerId) {
        }

        private static SecretKey derive(String customerId) {
            try {
                byte[] key = MessageDigest.getInstance("SHA-256").digest(("test-key:" + customerId).getBytes(StandardCharsets.UTF_8));
                return new SecretKeySpec(key, "AES");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
