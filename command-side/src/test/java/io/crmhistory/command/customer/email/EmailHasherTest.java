package io.crmhistory.command.customer.email;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claims table's hashes must never change for a deployment's key, or its existing claims would not be recognised:
 * HMAC-SHA256 of the trimmed, lower-cased address under the raw key, checked against a value computed elsewhere
 * (Python's {@code hmac.new(bytes(range(32)), b"ada@example.com", hashlib.sha256).hexdigest()}).
 */
class EmailHasherTest {

    @Test
    void hashesTheNormalisedAddressWithTheRawKey() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }

        assertThat(new EmailHasher(key).hash("  Ada@Example.COM "))
                .isEqualTo("5c820b4a5aac8f31eb6741825bfecb8e97f00488d5edaed1ae2908c29d0b7e38");
    }
}
