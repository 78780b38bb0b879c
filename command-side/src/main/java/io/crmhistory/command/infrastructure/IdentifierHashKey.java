package io.crmhistory.command.infrastructure;

import io.crmhistory.platform.config.DataDirectory;
import io.crmhistory.platform.config.OwnerOnlyFiles;
import io.crmhistory.platform.config.RefusedSetting;
import io.crmhistory.platform.security.HmacSha256;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The deployment's key for hashing identifiers that must be recognised again but not reversed by guessing (an email
 * claim, an imported contact's id): {@code crm.security.email-hash-key} (base64, at least 16 bytes) or, when unset, a
 * random key generated at first start into {@code <data-dir>/email-hash.key} (owner-only). It must stay the same for
 * the lifetime of the event store: with another key, existing claims and imported contacts would not be recognised.
 */
@Component
public class IdentifierHashKey {

    static final String KEY_FILE = "email-hash.key";

    private final byte[] key;

    @Autowired
    IdentifierHashKey(DataDirectory dataDirectory, @Value("${crm.security.email-hash-key:}") String configuredKey) {
        this(load(dataDirectory, configuredKey));
    }

    public IdentifierHashKey(byte[] key) {
        if (key.length < 16) {
            throw new RefusedSetting("crm.security.email-hash-key", "needs at least 16 bytes");
        }
        this.key = key.clone();
    }

    /** The key itself, for the email claims (hashed with it since before any other use). */
    public byte[] bytes() {
        return key.clone();
    }

    /** A key of its own for {@code purpose} (HMAC-SHA256 of the purpose's name), so no two uses share one. */
    public byte[] derive(String purpose) {
        return new HmacSha256(key).of(purpose.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] load(DataDirectory dataDirectory, String configuredKey) {
        String encoded = configuredKey.isBlank()
                ? OwnerOnlyFiles.readOrCreate(dataDirectory.resolve(KEY_FILE), IdentifierHashKey::randomKey).trim()
                : configuredKey.trim();
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // not base64: use the text itself as key material
            return encoded.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key) + "\n";
    }
}
