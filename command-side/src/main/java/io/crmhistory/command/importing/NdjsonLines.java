package io.crmhistory.command.importing;

import java.io.IOException;
import java.io.Reader;

/**
 * The lines of an NDJSON body, each at most {@code maxChars} long. Unlike {@link java.io.BufferedReader#readLine()},
 * a longer line is skipped to its end without being held: one line without a newline cannot fill the heap. Lines end
 * at {@code \n}; a {@code \r} before it is dropped. A byte-order mark at the start of the body (as Windows tools write
 * UTF-8 files) is dropped too: kept, it made the first line malformed JSON.
 */
final class NdjsonLines {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    /** A line's text, or null for a line longer than the limit. */
    record Line(String text) {

        boolean tooLong() {
            return text == null;
        }
    }

    private final Reader in;
    private final int maxChars;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder line = new StringBuilder();
    private int position;
    private int limit;
    private boolean overLimit;
    private boolean atStart = true;

    NdjsonLines(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** @return the next line, or null at the end of the input */
    Line next() throws IOException {
        line.setLength(0);
        overLimit = false;
        boolean started = false;
        while (true) {
            if (position == limit) {
                int read = in.read(buffer, 0, buffer.length);
                position = 0;
                limit = Math.max(read, 0);
                if (read < 0) {
                    return started ? finish() : null;
                }
                if (atStart && read > 0) {
                    atStart = false;
                    position = buffer[0] == BYTE_ORDER_MARK ? 1 : 0;
                }
            }
            started = true;
            int from = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            append(from, position);
            if (position < limit) {
                position++;
                return finish();
            }
        }
    }

    private void append(int from, int to) {
        if (overLimit) {
            return;
        }
        if (line.length() + (to - from) > maxChars + 1) { // + 1: room for a '\r' before the newline
            overLimit = true;
            line.setLength(0);
            return;
        }
        line.append(buffer, from, to - from);
    }

    private Line finish() {
        if (overLimit) {
            return new Line(null);
        }
        int length = line.length();
        if (length > 0 && line.charAt(length - 1) == '\r') {
            line.setLength(length - 1);
        }
        return line.length() > maxChars ? new Line(null) : new Line(line.toString());
    }
}
