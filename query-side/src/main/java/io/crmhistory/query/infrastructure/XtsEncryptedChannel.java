package io.crmhistory.query.infrastructure;

import org.h2.security.SHA256;
import org.h2.store.fs.FileBaseDefault;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import static io.crmhistory.query.infrastructure.XtsCipher.BLOCK_SIZE;

/**
 * An encrypted file in H2's encrypted-file layout: a 4 KiB header ({@code H2encrypt\n} and an 8-byte salt), then
 * the content in 4 KiB blocks, each encrypted with {@link XtsCipher} under PBKDF2-SHA256(password, salt, 10
 * iterations, 16 bytes), as H2 derives it. A file H2 encrypted opens here and the other way round. Reads and writes
 * at any position and length; the MVStore writes whole aligned blocks, other sizes are read, patched and rewritten.
 */
final class XtsEncryptedChannel extends FileBaseDefault {

    static final int HEADER_LENGTH = BLOCK_SIZE;
    private static final byte[] MAGIC = "H2encrypt\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int SALT_LENGTH = 8;
    private static final int KEY_ITERATIONS = 10;
    private static final int KEY_LENGTH = 16;

    private static final int KEPT_READ_BUFFER = 256 * 1024;

    private final String name;
    private final FileChannel base;
    private final ThreadLocal<byte[]> readBuffers = ThreadLocal.withInitial(() -> new byte[4 * BLOCK_SIZE]);
    private byte[] password;
    private volatile XtsCipher cipher;
    /** Content length, without the header. */
    private volatile long size;

    /** Reads or writes nothing yet, so the caller can lock the file first. */
    XtsEncryptedChannel(String name, byte[] password, FileChannel base) {
        this.name = name;
        this.password = password;
        this.base = base;
    }

    private XtsCipher cipher() throws IOException {
        XtsCipher current = cipher;
        return current != null ? current : init();
    }

    private synchronized XtsCipher init() throws IOException {
        if (cipher != null) {
            return cipher;
        }
        long content = base.size() - HEADER_LENGTH;
        byte[] salt = new byte[SALT_LENGTH];
        if (content >= 0) {
            readFully(base, MAGIC.length, ByteBuffer.wrap(salt));
            // See markLength: whole blocks, then as many bytes as the last block really holds.
            size = (content % BLOCK_SIZE) == 0 ? content : content - BLOCK_SIZE;
        } else {
            new SecureRandom().nextBytes(salt);
            byte[] header = Arrays.copyOf(MAGIC, HEADER_LENGTH);
            System.arraycopy(salt, 0, header, MAGIC.length, SALT_LENGTH);
            writeFully(base, 0, ByteBuffer.wrap(header));
            size = 0;
        }
        cipher = new XtsCipher(SHA256.getPBKDF2(password, salt, KEY_ITERATIONS, KEY_LENGTH));
        Arrays.fill(password, (byte) 0);
        password = null;
        return cipher;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        XtsCipher xts = cipher();
        if (position < 0) {
            throw new IllegalArgumentException("position " + position);
        }
        if (position >= size) {
            return -1;
        }
        int length = (int) Math.min(dst.remaining(), size - position);
        if (length == 0) {
            return 0;
        }
        if (position % BLOCK_SIZE == 0 && length % BLOCK_SIZE == 0 && dst.hasArray()) {
            // The MVStore reads whole blocks: decrypt them where they land, no copy.
            int at = dst.arrayOffset() + dst.position();
            readFully(base, HEADER_LENGTH + position, dst.duplicate().limit(dst.position() + length));
            xts.decrypt(position / BLOCK_SIZE, dst.array(), at, length);
            dst.position(dst.position() + length);
            return length;
        }
        long start = alignDown(position);
        int span = (int) (alignUp(position + length) - start);
        byte[] blocks = readBuffer(span);
        readBlocks(xts, blocks, start, span);
        dst.put(blocks, (int) (position - start), length);
        return length;
    }

    /**
     * The calling thread's buffer for a read that does not cover whole blocks, which is how the MVStore reads each
     * page (at its own offset and length): a new array for every page read was 5 % of the query side's
     * allocations while it served reads. A read longer than {@value #KEPT_READ_BUFFER} bytes gets an array of its
     * own, so no thread keeps a large one.
     */
    private byte[] readBuffer(int length) {
        if (length > KEPT_READ_BUFFER) {
            return new byte[length];
        }
        byte[] kept = readBuffers.get();
        if (kept.length < length) {
            kept = new byte[Math.min(KEPT_READ_BUFFER, Math.max(length, 2 * kept.length))];
            readBuffers.set(kept);
        }
        return kept;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        XtsCipher xts = cipher();
        while (position > size) {
            // As in a plain file, a gap reads as zeros (unwritten blocks would decrypt to noise).
            write(ByteBuffer.allocate((int) Math.min(position - size, 1 << 16)), size);
        }
        int length = src.remaining();
        long start = alignDown(position);
        long end = alignUp(position + length);
        byte[] blocks = new byte[(int) (end - start)];
        if (start != position || end != position + length) {
            // Partly covered blocks keep their other bytes: read what exists of them first.
            long existing = Math.min(end, alignUp(size)) - start;
            if (existing > 0) {
                readBlocks(xts, blocks, start, (int) existing);
            }
        }
        src.get(blocks, (int) (position - start), length);
        xts.encrypt(start / BLOCK_SIZE, blocks, 0, blocks.length);
        writeFully(base, HEADER_LENGTH + start, ByteBuffer.wrap(blocks));
        if (position + length > size) {
            size = position + length;
            markLength();
        }
        return length;
    }

    /**
     * The last block is always stored whole; a content length that is not a whole number of blocks is marked, as
     * H2 marks it, by that many bytes after the last block (the MVStore itself only writes whole blocks).
     */
    private void markLength() throws IOException {
        long rest = size % BLOCK_SIZE;
        if (rest == 0) {
            return;
        }
        long marked = HEADER_LENGTH + alignUp(size) + rest;
        if (base.size() > marked) {
            base.truncate(marked);
        } else if (base.size() < marked) {
            writeFully(base, HEADER_LENGTH + alignUp(size), ByteBuffer.allocate((int) rest));
        }
    }

    private void readBlocks(XtsCipher xts, byte[] blocks, long start, int length) throws IOException {
        readFully(base, HEADER_LENGTH + start, ByteBuffer.wrap(blocks, 0, length));
        xts.decrypt(start / BLOCK_SIZE, blocks, 0, length);
    }

    @Override
    public long size() throws IOException {
        cipher();
        return size;
    }

    @Override
    protected void implTruncate(long newSize) throws IOException {
        cipher();
        if (newSize < 0) {
            throw new IllegalArgumentException("size " + newSize);
        }
        if (newSize >= size) {
            return;
        }
        base.truncate(HEADER_LENGTH + alignUp(newSize) + newSize % BLOCK_SIZE);
        size = newSize;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        base.force(metaData);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return base.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        base.close();
    }

    @Override
    public String toString() {
        return name;
    }

    private static long alignDown(long position) {
        return position / BLOCK_SIZE * BLOCK_SIZE;
    }

    private static long alignUp(long position) {
        return (position + BLOCK_SIZE - 1) / BLOCK_SIZE * BLOCK_SIZE;
    }

    private static void readFully(FileChannel file, long position, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            int read = file.read(dst, position);
            if (read < 0) {
                throw new EOFException("end of " + file + " at " + position);
            }
            position += read;
        }
    }

    private static void writeFully(FileChannel file, long position, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            position += file.write(src, position);
        }
    }
}
