package io.crmhistory.query.ops;

import io.crmhistory.query.projection.InProcessMongo;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.ProjectionVersion;
import io.crmhistory.query.segment.SegmentReadModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * A query-side instance whose processor holds none of a version's segments (another instance processes them) reports
 * the position that instance stored, not -1 with the whole store as lag, and reads it without taking the claim.
 */
class StandbyPositionTest {

    private static final ProjectionVersion HISTORY = new ProjectionVersion("history", 2);

    private final InProcessMongo mongo = new InProcessMongo();
    private final MongoTemplate axonMongo = DefaultMongoTemplate.builder().mongoDatabase(mongo.client(), "crm").build();
    private final Serializer serializer = JacksonSerializer.defaultSerializer();
    private final TokenStore processingInstance = MongoTokenStore.builder().mongoTemplate(axonMongo)
            .serializer(serializer).nodeId("processing-instance").build();
    private final ProjectionProcessors processors = mock(ProjectionProcessors.class);
    private final EventStore eventStore = mock(EventStore.class);
    private final ProjectionMonitor standby = new ProjectionMonitor(processors, mock(ProjectionCatalog.class), eventStore,
            new StoredPositions(axonMongo, serializer), new SimpleMeterRegistry(), mock(SegmentReadModel.class));

    @AfterEach
    void close() {
        mongo.close();
    }

    @Test
    void aStandbyReportsThePositionTheProcessingInstanceStored() {
        processingInstance.initializeTokenSegments(HISTORY.processorName(), 1);
        processingInstance.fetchToken(HISTORY.processorName(), 0);
        processingInstance.storeToken(GapAwareTrackingToken.newInstance(41, Set.of(39L)), HISTORY.processorName(), 0);
        holdingNoSegmentHere();
        when(eventStore.createHeadToken()).thenReturn(GapAwareTrackingToken.newInstance(50, Set.of()));

        ProjectionMonitor.Status status = standby.status(HISTORY, ProjectionMonitor.Role.LIVE);

        assertThat(status.running()).isTrue();
        assertThat(status.position()).isEqualTo(41);
        assertThat(status.head()).isEqualTo(50);
        assertThat(status.lag()).isEqualTo(9);
        assertThat(status.caughtUp()).as("only the processing instance decides a version has caught up").isFalse();
        assertThat(owner()).isEqualTo("processing-instance");
    }

    @Test
    void aStandbyOfAVersionWithNoPositionYetReportsNone() {
        processingInstance.initializeTokenSegments(HISTORY.processorName(), 1);
        holdingNoSegmentHere();
        when(eventStore.createHeadToken()).thenReturn(GapAwareTrackingToken.newInstance(50, Set.of()));

        ProjectionMonitor.Status status = standby.status(HISTORY, ProjectionMonitor.Role.LIVE);

        assertThat(status.position()).isEqualTo(-1);
        assertThat(status.lag()).isEqualTo(51);
    }

    private void holdingNoSegmentHere() {
        PooledStreamingEventProcessor processor = mock(PooledStreamingEventProcessor.class);
        when(processor.processingStatus()).thenReturn(Map.of());
        when(processor.isRunning()).thenReturn(true);
        when(processors.running(HISTORY)).thenReturn(Optional.of(
                new ProjectionProcessors.Running(HISTORY, processor, null, null, List.of())));
    }

    private String owner() {
        return axonMongo.trackingTokensCollection().find(new Document("processorName", HISTORY.processorName()))
                .first().getString("owner");
    }
}
