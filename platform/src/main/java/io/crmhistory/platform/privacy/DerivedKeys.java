package io.crmhistory.platform.privacy;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Secrets for other data at rest, derived from the master key (HMAC-SHA256 over a purpose label), so that one
 * configured secret protects everything and each purpose gets an independent key.
 */
public final class DerivedKeys {

    private final SecretKey masterKey;

    public DerivedKeys(SecretKey masterKey) {
        this.masterKey = masterKey;
    }

    /** 32 bytes for the given purpose; the same purpose and master key always give the same bytes. */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(masterKey);
            return mac.doFinal(("crm-history/" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** {@link #derive} as a password (for stores that take one, such as H2's file encryption). */
    public char[] derivePassword(String purpose) {
        return Base64.getEncoder().withoutPadding().encodeToString(derive(purpose)).toCharArray();
    }
}
