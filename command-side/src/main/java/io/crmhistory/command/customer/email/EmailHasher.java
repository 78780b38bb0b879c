package io.crmhistory.command.customer.email;

import io.crmhistory.command.infrastructure.KeyedHash;

/**
 * HMAC-SHA256 of the normalised address. Keyed, so the claims table alone does not reveal which
 * addresses are customers' (a plain hash of an email is easily reversed by guessing).
 */
class EmailHasher {

    private final KeyedHash hash;

    EmailHasher(byte[] key) {
        this.hash = new KeyedHash(key, "email hash");
    }

    String hash(String email) {
        return hash.hex(EmailClaims.normalize(email));
    }
}
