package io.crmhistory.command.customer.email;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * HMAC-SHA256 of the normalised address. Keyed, so the claims table alone does not reveal which
 * addresses are customers' (a plain hash of an email is easily reversed by guessing).
 */
class EmailHasher {

    private final SecretKeySpec key;

    EmailHasher(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the email hash key needs at least 16 bytes");
        }
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    String hash(String email) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(EmailClaims.normalize(email).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
