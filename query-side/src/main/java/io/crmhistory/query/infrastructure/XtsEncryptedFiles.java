package io.crmhistory.query.infrastructure;

import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.h2.store.fs.FileUtils;
import org.h2.store.fs.encrypt.FilePathEncrypt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * H2 file names {@code crm-xts:<path>} open {@code <path>} through {@link XtsEncryptedChannel}. The MVStore is given
 * such a name instead of an encryption key: H2 then never sees the key, and the file is still one H2's own
 * encryption reads. The password of a file is handed over with {@link #name(Path, char[])}, not in the name (H2
 * puts file names into its error messages).
 */
public final class XtsEncryptedFiles extends FilePathWrapper {

    private static final String SCHEME = "crm-xts";
    private static final Map<String, byte[]> PASSWORDS = new ConcurrentHashMap<>();

    static {
        FilePath.register(new XtsEncryptedFiles());
    }

    /** For H2, which makes one instance per file name by reflection. */
    public XtsEncryptedFiles() {
    }

    /** The H2 file name that opens {@code file} encrypted with {@code password} (wiped here). */
    static String name(Path file, char[] password) {
        String plain = file.toAbsolutePath().toString();
        PASSWORDS.put(plain, FilePathEncrypt.getPasswordBytes(password));
        Arrays.fill(password, (char) 0);
        return SCHEME + ":" + plain;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        String plain = getBase().toString();
        byte[] password = PASSWORDS.get(plain);
        if (password == null) {
            throw new IOException("no key was given for " + plain);
        }
        return new XtsEncryptedChannel(name, password.clone(), FileUtils.open(plain, mode));
    }

    @Override
    public long size() {
        long content = Math.max(0, getBase().size() - XtsEncryptedChannel.HEADER_LENGTH);
        return content % XtsCipher.BLOCK_SIZE == 0 ? content : content - XtsCipher.BLOCK_SIZE;
    }

    @Override
    public OutputStream newOutputStream(boolean append) {
        throw new UnsupportedOperationException("encrypted files are only opened as channels");
    }

    @Override
    public InputStream newInputStream() {
        throw new UnsupportedOperationException("encrypted files are only opened as channels");
    }
}
