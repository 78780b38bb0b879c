package io.crmhistory.command.importing;

import io.crmhistory.command.infrastructure.KeyedHash;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The id of an imported contact line that has none, derived from the line, so importing the same file again finds
 * the contact recorded instead of recording it twice. Keyed (HMAC-SHA256 under a key of this deployment): the line
 * holds the contact's subject, notes and outcome, and an unkeyed hash of it, which stays in the event after the
 * customer's personal data is erased, would let anyone who guesses the words confirm them offline.
 */
final class ImportContactIds {

    private static final String PREFIX = "import-";
    private static final int HEX_CHARS = 40;

    private final KeyedHash hash;

    /** @param key at least 16 bytes, used for nothing else (derive it for this purpose) */
    ImportContactIds(byte[] key) {
        this.hash = new KeyedHash(key, "contact id");
    }

    String of(String line) {
        return PREFIX + hash.hex(line.strip()).substring(0, HEX_CHARS);
    }

    /** The id imports derived before ids were keyed: a contact recorded under it is the same line's. */
    static String legacyOf(String line) {
        try {
            return PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(line.strip().getBytes(StandardCharsets.UTF_8))).substring(0, HEX_CHARS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
