package io.crmhistory.platform.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * HMAC-SHA256 under one key, safe to share between threads. Each thread keeps its own initialised {@link Mac}: a
 * {@code Mac} is not thread-safe, and looking one up and initialising it on every call (the JCA provider search)
 * costs more than hashing a short text, once per request on the authentication's path and once per imported line.
 */
public final class HmacSha256 {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public HmacSha256(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        newMac(); // a key the provider refuses fails here, not on first use
    }

    /** The HMAC of the parts one after the other. */
    public byte[] of(byte[]... parts) {
        Mac mac = macs.get();
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal(); // also resets the Mac for the thread's next call
    }

    /** The HMAC of {@code text} (UTF-8) in lower-case hex. */
    public String hex(String text) {
        return HexFormat.of().formatHex(of(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
