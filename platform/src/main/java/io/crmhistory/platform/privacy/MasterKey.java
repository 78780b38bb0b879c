package io.crmhistory.platform.privacy;

import io.crmhistory.platform.config.DataDirectory;
import io.crmhistory.platform.config.OwnerOnlyFiles;
import io.crmhistory.platform.config.RefusedSetting;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key that wraps every customer's data key: {@code crm.security.master-key} (base64 of 32 bytes)
 * or, when unset, 32 random bytes generated at first start into {@code <data-dir>/master.key}
 * (owner-only, created once even when both applications start together, so both read one key).
 * Losing it makes every customer's personal data unreadable, like an erasure of everyone.
 */
final class MasterKey {

    static final String PROPERTY = "crm.security.master-key";
    static final String FILE = "master.key";
    static final int BYTES = 32;
    private static final String WHEN_UNSET = " (as must " + FILE + " in the data directory, read when it is unset)";

    private MasterKey() {
    }

    static SecretKey load(String configured, DataDirectory dataDirectory) {
        String encoded = configured == null || configured.isBlank()
                ? OwnerOnlyFiles.readOrCreate(dataDirectory.resolve(FILE), MasterKey::random)
                : configured;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new RefusedSetting(PROPERTY, "must be base64 of " + BYTES + " bytes" + WHEN_UNSET);
        }
        if (key.length != BYTES) {
            throw new RefusedSetting(PROPERTY, "must be base64 of " + BYTES + " bytes, not " + key.length + WHEN_UNSET);
        }
        return new SecretKeySpec(key, "AES");
    }

    private static String random() {
        byte[] key = new byte[BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key) + "\n";
    }
}
