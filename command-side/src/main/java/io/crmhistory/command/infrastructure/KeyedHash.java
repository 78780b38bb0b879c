package io.crmhistory.command.infrastructure;

import io.crmhistory.platform.security.HmacSha256;

/**
 * HMAC-SHA256 under one key, in lower-case hex: an identifier that can be recognised again by whoever holds the key
 * but not confirmed by guessing (an email claim, an imported contact's id).
 */
public final class KeyedHash {

    private final HmacSha256 hmac;

    /** @param key at least 16 bytes; {@code use} names it in the refusal of a shorter one */
    public KeyedHash(byte[] key, String use) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the " + use + " key needs at least 16 bytes");
        }
        this.hmac = new HmacSha256(key);
    }

    public String hex(String text) {
        return hmac.hex(text);
    }
}
