package io.crmhistory.command.importing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NdjsonLinesTest {

    /** Each line's text, "TOO LONG" for a line over the limit. */
    private static List<String> lines(String input, int maxChars) throws IOException {
        NdjsonLines lines = new NdjsonLines(new StringReader(input), maxChars);
        List<String> read = new ArrayList<>();
        NdjsonLines.Line line;
        while ((line = lines.next()) != null) {
            read.add(line.tooLong() ? "TOO LONG" : line.text());
        }
        return read;
    }

    @Test
    void linesEndAtNewlinesWithOrWithoutACarriageReturnAndTheLastNeedsNone() throws IOException {
        assertThat(lines("a\nbb\r\n\nccc", 10)).containsExactly("a", "bb", "", "ccc");
        assertThat(lines("a\n", 10)).containsExactly("a");
        assertThat(lines("", 10)).isEmpty();
    }

    @Test
    void aByteOrderMarkAtTheStartIsDroppedAndAnywhereElseKept() throws IOException {
        assertThat(lines("\uFEFF{\"a\":1}\n{\"b\":2}", 10)).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(lines("\uFEFF", 10)).containsExactly("");
        assertThat(lines("a\n\uFEFFb", 10)).containsExactly("a", "\uFEFFb");
    }

    @Test
    void aLineOverTheLimitIsSkippedToItsEndAndTheNextIsRead() throws IOException {
        assertThat(lines("12345\n123456\n1234567890" + "x".repeat(200_000) + "\nok\r\n12345\r\n", 5))
                .containsExactly("12345", "TOO LONG", "TOO LONG", "ok", "12345");
        assertThat(lines("x".repeat(100_000), 5)).containsExactly("TOO LONG");
    }

    @Test
    void linesLongerThanTheReadBufferAreWhole() throws IOException {
        String long1 = "y".repeat(70_000);
        String long2 = "z".repeat(140_001);
        assertThat(lines(long1 + "\n" + long2, 200_000)).containsExactly(long1, long2);
    }
}
