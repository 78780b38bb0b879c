package io.crmhistory.command.infrastructure;

import io.crmhistory.platform.config.RefusedSetting;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A derived key must never change for a deployment's key, or the ids of imported contacts derived with it would not
 * be recognised when the same file is imported again: HMAC-SHA256 of the purpose's name under the raw key, checked
 * against a value computed elsewhere (Python's
 * {@code hmac.new(bytes(range(32)), b"import-contact-id", hashlib.sha256).hexdigest()}).
 */
class IdentifierHashKeyTest {

    private static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) i;
        }
    }

    @Test
    void derivesAKeyPerPurposeAsHmacOfItsName() {
        IdentifierHashKey key = new IdentifierHashKey(KEY);

        assertThat(HexFormat.of().formatHex(key.derive("import-contact-id")))
                .isEqualTo("f8aa84cd76dee01bc29d5105cecd5b00ad18d883d44f44edc5d77ef960f94dee");
        assertThat(key.derive("another-purpose")).isNotEqualTo(key.derive("import-contact-id"));
    }

    @Test
    void refusesAKeyShorterThanSixteenBytes() {
        assertThatThrownBy(() -> new IdentifierHashKey(new byte[15]))
                .isInstanceOf(RefusedSetting.class)
                .hasMessage("crm.security.email-hash-key: needs at least 16 bytes");
    }
}
