package io.crmhistory.command.customer.email;

import io.crmhistory.command.infrastructure.IdentifierHashKey;

/**
 * HMAC-SHA256 of the normalised address. Keyed, so the claims table alone does not reveal which
 * addresses are customers' (a plain hash of an email is easily reversed by guessing).
 */
class EmailHasher {

    private final byte[] key;

    EmailHasher(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the email hash key needs at least 16 bytes");
        }
        this.key = key.clone();
    }

    String hash(String email) {
        return IdentifierHashKey.hmacHex(key, EmailClaims.normalize(email));
    }
}
