package io.crmhistory.query.ops;

import io.crmhistory.query.projection.ProjectionVersion;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.bson.Document;
import org.bson.types.Binary;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The positions a version's processor stored with its tokens, read from Axon's token collection without claiming
 * anything: what an instance that holds none of the version's segments (a hot standby beside the instance that
 * processes them) reports, instead of a position it does not have. A stored position is the one of the last
 * committed batch, so it trails the processing instance's own figure by at most a batch. Read at most once a second
 * per version, since every gauge asks.
 */
@Component
class StoredPositions {

    private static final long CACHE_NANOS = 1_000_000_000L;
    private static final String PROCESSOR_NAME = "processorName";
    private static final String TOKEN = "token";
    private static final String TOKEN_TYPE = "tokenType";

    private record Reading(OptionalLong position, long readAt) {
    }

    private final MongoTemplate axonMongo;
    private final Serializer serializer;
    private final Map<String, Reading> readings = new ConcurrentHashMap<>();

    StoredPositions(MongoTemplate axonMongo, @Qualifier("serializer") Serializer serializer) {
        this.axonMongo = axonMongo;
        this.serializer = serializer;
    }

    /** The furthest position among the version's stored tokens; empty when it has none or none has a position yet. */
    OptionalLong position(ProjectionVersion version) {
        long now = System.nanoTime();
        Reading reading = readings.get(version.processorName());
        if (reading == null || now - reading.readAt() > CACHE_NANOS) {
            reading = new Reading(read(version), now);
            readings.put(version.processorName(), reading);
        }
        return reading.position();
    }

    /** The tokens the version's processor stored, read afresh (null for a segment without one or unreadable). */
    List<TrackingToken> storedTokens(ProjectionVersion version) {
        List<TrackingToken> tokens = new ArrayList<>();
        for (Document stored : axonMongo.trackingTokensCollection()
                .find(new Document(PROCESSOR_NAME, version.processorName()))) {
            tokens.add(token(stored));
        }
        return tokens;
    }

    /** Whether every one of {@code stored} covers {@code token}: the batch that handled its event is stored everywhere. */
    static boolean allCover(List<TrackingToken> stored, TrackingToken token) {
        return !stored.isEmpty() && stored.stream().allMatch(each -> each != null && covers(each, token));
    }

    private TrackingToken token(Document stored) {
        Binary data = stored.get(TOKEN, Binary.class);
        if (data == null) {
            return null; // a segment initialised at the store's tail, before its first event
        }
        try {
            return serializer.deserialize(new SimpleSerializedObject<>(data.getData(), byte[].class,
                    stored.getString(TOKEN_TYPE), null)) instanceof TrackingToken token ? token : null;
        } catch (SerializationException unreadable) {
            return null; // not this instance's to repair: the processing instance reports it
        }
    }

    /** Axon's own test where the two are of one kind; by position where they are not (its test refuses those). */
    private static boolean covers(TrackingToken stored, TrackingToken token) {
        try {
            return stored.covers(token);
        } catch (IllegalArgumentException otherKind) {
            OptionalLong storedAt = stored.position();
            OptionalLong at = token.position();
            return storedAt.isPresent() && at.isPresent() && storedAt.getAsLong() >= at.getAsLong();
        }
    }

    private OptionalLong read(ProjectionVersion version) {
        OptionalLong furthest = OptionalLong.empty();
        for (TrackingToken token : storedTokens(version)) {
            OptionalLong position = token == null ? OptionalLong.empty() : token.position();
            if (position.isPresent() && (furthest.isEmpty() || position.getAsLong() > furthest.getAsLong())) {
                furthest = position;
            }
        }
        return furthest;
    }
}
