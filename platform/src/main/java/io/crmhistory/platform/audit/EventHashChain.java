package io.crmhistory.platform.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.RevisionResolver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The tamper-evident chain over each aggregate's events. An event's hash is SHA-256 (lower-case
 * hex) of the UTF-8 text
 * <pre>
 * previousHash "\n" sequence "\n" type "\n" revision "\n" canonicalPayload "\n" occurredAt
 * </pre>
 * where {@code previousHash} is the hash of the aggregate's event before (empty for the first),
 * {@code sequence} the aggregate sequence number in decimal, {@code type} the payload type as stored
 * (the class name), {@code revision} the stored revision (empty when none), {@code canonicalPayload}
 * the {@link CanonicalJson} text of the payload as stored (personal fields as ciphertext) and
 * {@code occurredAt} the payload's {@code occurredAt} text (empty when absent). None of the parts
 * but the payload can hold a line break, and the payload's canonical text has none, so the input is
 * unambiguous.
 * <p>
 * The hash goes into the event's metadata under {@link #HASH}, the previous one under
 * {@link #PREVIOUS_HASH}. {@link #hashOf} serializes the event with the event serializer's own
 * ObjectMapper, so it equals what {@link ChainVerifier} recomputes from the stored bytes.
 */
public class EventHashChain {

    public static final String HASH = "hash";
    public static final String PREVIOUS_HASH = "previousHash";

    private final ObjectMapper eventMapper;
    private final RevisionResolver revisions = new AnnotationRevisionResolver();

    /** @param eventMapper the ObjectMapper of Axon's event serializer */
    public EventHashChain(ObjectMapper eventMapper) {
        this.eventMapper = eventMapper;
    }

    /** The hash of {@code event} appended at {@code sequence} after an event hashed {@code previousHash} (null for none). */
    public String hashOf(String previousHash, long sequence, Object event) {
        // serialized, then parsed exactly: valueToTree would normalise decimals (10.50 -> 10.5), the
        // store keeps the serializer's bytes
        JsonNode payload;
        try {
            payload = CanonicalJson.parse(eventMapper.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + event.getClass().getName(), e);
        }
        return next(previousHash, sequence, event.getClass().getName(), revisions.revisionOf(event.getClass()), payload,
                occurredAt(payload));
    }

    public static String next(String previousHash, long sequence, String type, String revision, JsonNode payload,
                              String occurredAt) {
        String input = nullToEmpty(previousHash) + '\n' + sequence + '\n' + type + '\n' + nullToEmpty(revision) + '\n'
                + CanonicalJson.of(payload) + '\n' + nullToEmpty(occurredAt);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String occurredAt(JsonNode payload) {
        JsonNode value = payload.get("occurredAt");
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
