package io.crmhistory.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.fail;

/**
 * Keeps the OpenAPI snapshot in {@code docs/openapi} the description the code generates: a test hands it the live
 * {@code /v3/api-docs}; when they differ, the live one is written to {@code target/openapi/} and the test fails, saying
 * which file to copy over the snapshot if the change to the API was meant. The server URL (a random test port) is left
 * out of both.
 */
public final class OpenApiSnapshot {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private OpenApiSnapshot() {
    }

    /** @param snapshotName the file name under {@code docs/openapi}, e.g. {@code query-side.json} */
    public static void assertMatches(String liveJson, String snapshotName) {
        Path snapshot = Path.of("..", "docs", "openapi", snapshotName);
        try {
            JsonNode live = withoutServers(JSON.readTree(liveJson));
            JsonNode recorded = Files.exists(snapshot) ? withoutServers(JSON.readTree(snapshot.toFile())) : null;
            if (!live.equals(recorded)) {
                Path current = Path.of("target", "openapi", snapshotName);
                Files.createDirectories(current.getParent());
                JSON.writeValue(current.toFile(), JSON.treeToValue(live, Object.class));
                fail("%s is not the API the code describes (first difference at %s); if the change is meant, copy %s "
                        + "over it", snapshot.normalize(), firstDifference("", recorded, live), current.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON pointer of the first place the two differ, for a failure a reader can act on. */
    static String firstDifference(String at, JsonNode recorded, JsonNode live) {
        if (Objects.equals(recorded, live)) {
            return null;
        }
        if (recorded != null && live != null && recorded.isContainerNode() && live.isContainerNode()
                && recorded.getNodeType() == live.getNodeType()) {
            Iterator<String> names = recorded.isObject() ? union(recorded, live) : indices(Math.max(recorded.size(), live.size()));
            while (names.hasNext()) {
                String name = names.next();
                String inner = firstDifference(at + "/" + name.replace("~", "~0").replace("/", "~1"),
                        child(recorded, name), child(live, name));
                if (inner != null) {
                    return inner;
                }
            }
        }
        return at.isEmpty() ? "/" : at;
    }

    private static JsonNode child(JsonNode container, String name) {
        return container.isObject() ? container.get(name) : container.get(Integer.parseInt(name));
    }

    private static Iterator<String> union(JsonNode a, JsonNode b) {
        TreeSet<String> names = new TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        return names.iterator();
    }

    private static Iterator<String> indices(int size) {
        return IntStream.range(0, size).mapToObj(Integer::toString).iterator();
    }

    private static JsonNode withoutServers(JsonNode description) {
        ((ObjectNode) description).remove("servers");
        return description;
    }
}
