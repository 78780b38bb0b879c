package io.crmhistory.platform.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class HmacSha256Test {

    private static final byte[] JEFE = "Jefe".getBytes(StandardCharsets.UTF_8);

    @Test
    void matchesTheRfc4231TestVector() {
        // RFC 4231, test case 2
        assertThat(new HmacSha256(JEFE).hex("what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void partsAreHashedAsOneMessageAndEachCallStartsAfresh() {
        HmacSha256 hmac = new HmacSha256(JEFE);
        byte[] whole = hmac.of("what do ya want for nothing?".getBytes(StandardCharsets.UTF_8));

        assertThat(hmac.of("what do ya ".getBytes(StandardCharsets.UTF_8),
                "want for nothing?".getBytes(StandardCharsets.UTF_8))).isEqualTo(whole);
        assertThat(hmac.of("what do ya want for nothing?".getBytes(StandardCharsets.UTF_8))).isEqualTo(whole);
    }

    @Test
    void threadsSharingOneInstanceGetTheSameHashes() throws Exception {
        HmacSha256 hmac = new HmacSha256(JEFE);
        List<String> texts = IntStream.range(0, 2_000).mapToObj(i -> "customer-" + i).toList();
        List<String> expected = texts.stream().map(new HmacSha256(JEFE)::hex).toList();
        Callable<List<String>> hashAll = () -> texts.stream().map(hmac::hex).toList();

        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = threads.invokeAll(List.of(hashAll, hashAll, hashAll, hashAll));
            for (Future<List<String>> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
