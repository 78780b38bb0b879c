package io.crmhistory.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The link hash is SHA-256 of the documented text, byte for byte: chains written by any earlier
 * version must still verify, so the way the text reaches the digest may change, the bytes may not.
 */
class EventHashChainTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    @Test
    void theHashOfAKnownLinkIsTheOneComputedOutsideJava() {
        JsonNode payload = CanonicalJson.parse(("{\"occurredAt\":\"2025-12-24T18:00:00+01:00\",\"b\":\"é\uD83D\uDE00 \\\"x\\\"\\\\\","
                + "\"a\":[1,10.50,null,true,{\"z\":2,\"y\":\"é\"}]}").getBytes(StandardCharsets.UTF_8));

        // python3: hashlib.sha256(('ab12\n7\nio.example.Happened\n2\n' + canonical + '\n2025-12-24T18:00:00+01:00').encode())
        assertThat(EventHashChain.next("ab12", 7, "io.example.Happened", "2", payload, "2025-12-24T18:00:00+01:00"))
                .isEqualTo("e1332e32dc908f1d8a89ed8ec7942dcce3981e99dbeebff53c66f527eb313979");
        assertThat(EventHashChain.next(null, 0, "io.example.Happened", null, NODES.objectNode(), null))
                .isEqualTo("ef3698f0cda0f2eaa5f9696d5853f6af0a2067f1fb88b2089987d2fba58c4f34");
    }

    @Test
    void everyPayloadHashesAsItsDocumentedTextDoes() throws Exception {
        Random random = new Random(20260101);
        for (int i = 0; i < 500; i++) {
            JsonNode payload = randomObject(random, 2);
            String previous = i % 7 == 0 ? null : randomText(random);
            String revision = i % 3 == 0 ? null : Integer.toString(i % 5);
            String occurredAt = i % 4 == 0 ? null : randomText(random);

            assertThat(EventHashChain.next(previous, i, "io.example.Type" + i, revision, payload, occurredAt))
                    .as("payload %s", payload)
                    .isEqualTo(sha256OfDocumentedText(previous, i, "io.example.Type" + i, revision, payload, occurredAt));
        }
    }

    @Test
    void threadsHashingAtOnceGetTheHashesOneThreadGets() {
        Random random = new Random(7);
        List<JsonNode> payloads = IntStream.range(0, 2_000).<JsonNode>mapToObj(i -> randomObject(random, 2)).toList();
        List<String> alone = IntStream.range(0, payloads.size())
                .mapToObj(i -> EventHashChain.next("p", i, "T", "1", payloads.get(i), null)).toList();

        List<String> together = IntStream.range(0, payloads.size()).parallel()
                .mapToObj(i -> EventHashChain.next("p", i, "T", "1", payloads.get(i), null)).toList();

        assertThat(together).isEqualTo(alone);
    }

    /** The definition in {@link EventHashChain}'s javadoc, built the plain way. */
    private static String sha256OfDocumentedText(String previous, long sequence, String type, String revision,
                                                 JsonNode payload, String occurredAt) throws Exception {
        String text = (previous == null ? "" : previous) + "\n" + sequence + "\n" + type + "\n"
                + (revision == null ? "" : revision) + "\n" + CanonicalJson.of(payload) + "\n"
                + (occurredAt == null ? "" : occurredAt);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static ObjectNode randomObject(Random random, int depth) {
        ObjectNode node = NODES.objectNode();
        int fields = random.nextInt(5);
        for (int f = 0; f < fields; f++) {
            String name = randomText(random);
            switch (random.nextInt(depth > 0 ? 7 : 5)) {
                case 0 -> node.put(name, randomText(random));
                case 1 -> node.put(name, new BigDecimal(random.nextInt(100_000)).movePointLeft(random.nextInt(4)));
                case 2 -> node.put(name, random.nextLong());
                case 3 -> node.putNull(name);
                case 4 -> node.put(name, random.nextBoolean());
                case 5 -> node.set(name, randomObject(random, depth - 1));
                default -> node.putArray(name).add(randomText(random)).add(random.nextInt()).add(randomObject(random, depth - 1));
            }
        }
        return node;
    }

    /**
     * Text from every kind of character a payload may hold: controls, quotes, accents, CJK, emoji
     * (surrogate pairs) and lone surrogates (JSON's {@code \\uD800} parses to one).
     */
    private static String randomText(Random random) {
        int[] pool = {'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', 0x01, 0x1f, 0x7f, 0xe9, 0x20ac, 0x4e2d, 0x1f600, 0x10ffff, 0xd800, 0xdfff};
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(pool[random.nextInt(pool.length)]);
        }
        return text.toString();
    }
}
