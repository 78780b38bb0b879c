package io.crmhistory.platform.privacy;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Encrypts personal fields with the customer's own data key (crypto-shredding: destroying the key
 * erases every copy of the data at once, events included). Values are AES-256-GCM with a random
 * 96-bit IV per value and the customer id and field name as associated data, written as
 * {@code pd:v1:<base64(iv | ciphertext | tag)>}, so they fit the String fields of the events.
 */
public class PersonalDataProtector {

    static final String PREFIX = "pd:v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /**
     * One decrypting and one encrypting cipher per thread, initialised again for each value: creating a cipher costs
     * a provider lookup (3.7 % of the command lanes' CPU while importing when each value took a fresh one,
     * docs/benchmarks-log.md session 45), and a cipher keeps the AES key schedule of its last key, which the next value
     * of the same customer (a replay reads thousands in a row, a contact protects two fields) reuses.
     */
    private static final ThreadLocal<Cipher> DECRYPTING = ThreadLocal.withInitial(PersonalDataProtector::newCipher);
    private static final ThreadLocal<Cipher> ENCRYPTING = ThreadLocal.withInitial(PersonalDataProtector::newCipher);

    private final CustomerKeyStore keys;
    private final Supplier<byte[]> ivs;

    public PersonalDataProtector(CustomerKeyStore keys) {
        this(keys, randomIvs(new SecureRandom()));
    }

    /**
     * @param ivs a fresh 12-byte IV for every call; only tests that compare whole events pin it, since
     *            reusing an IV under one key breaks GCM
     */
    public PersonalDataProtector(CustomerKeyStore keys, Supplier<byte[]> ivs) {
        this.keys = keys;
        this.ivs = ivs;
    }

    /** The stored form of {@code plaintext} as {@code field} of {@code customerId}; null stays null. */
    public String protect(String customerId, String field, String plaintext) {
        if (plaintext == null) {
            return null;
        }
        byte[] iv = ivs.get();
        if (iv.length != IV_BYTES) {
            throw new IllegalStateException("an IV has " + IV_BYTES + " bytes");
        }
        try {
            Cipher cipher = encryptingCipher(keys.findOrCreate(customerId), iv, customerId, field);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * The plaintext of a stored value: empty for null and once the customer's key is destroyed
     * (erased). A value that is not protected is answered as it is.
     *
     * @throws IllegalStateException when the value does not authenticate (altered, or moved from another
     *                               customer or field); the message never contains the value
     */
    public Optional<String> reveal(String customerId, String field, String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        if (!isProtected(stored)) {
            return Optional.of(stored);
        }
        Optional<SecretKey> key = keys.find(customerId);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] sealed = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            if (sealed.length < IV_BYTES + TAG_BITS / 8) {
                throw new IllegalStateException("protected " + field + " of customer " + customerId + " is truncated");
            }
            Cipher cipher = init(DECRYPTING.get(), Cipher.DECRYPT_MODE, key.get(), Arrays.copyOf(sealed, IV_BYTES),
                    customerId, field);
            return Optional.of(new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8));
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new IllegalStateException("protected " + field + " of customer " + customerId + " does not authenticate");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /** Whether a stored value is one this protector wrote. */
    public boolean isProtected(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** Destroys the customer's key (within the caller's transaction): every value protected for them becomes unreadable. */
    public void forget(String customerId) {
        keys.destroy(customerId);
    }

    /** Drops a key cached in this process after another process destroyed it. */
    public void evict(String customerId) {
        keys.evict(customerId);
    }

    /**
     * The thread's encrypting cipher, set to this key and IV. GCM refuses to encrypt again with the key and IV of a
     * cipher's last encryption; random IVs never repeat, but a supplier of fixed IVs (tests that compare whole
     * events) does, and for it a fresh cipher encrypts as asked.
     */
    private static Cipher encryptingCipher(SecretKey key, byte[] iv, String customerId, String field)
            throws GeneralSecurityException {
        try {
            return init(ENCRYPTING.get(), Cipher.ENCRYPT_MODE, key, iv, customerId, field);
        } catch (InvalidAlgorithmParameterException sameKeyAndIvAsLastTime) {
            return init(newCipher(), Cipher.ENCRYPT_MODE, key, iv, customerId, field);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is not available", e);
        }
    }

    private static Cipher init(Cipher cipher, int mode, SecretKey key, byte[] iv, String customerId, String field)
            throws GeneralSecurityException {
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD((customerId + '\u0000' + field).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static Supplier<byte[]> randomIvs(SecureRandom random) {
        return () -> {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            return iv;
        };
    }
}
