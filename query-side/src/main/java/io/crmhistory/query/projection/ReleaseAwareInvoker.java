package io.crmhistory.query.projection;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.deadletter.DeadLetteringEventHandlerInvoker;

/**
 * Axon's dead-lettering invoker that also tells the projection when its processor releases the segment (it stops,
 * or lost the claim to another instance), the moment Axon itself clears what it keeps per segment.
 */
final class ReleaseAwareInvoker extends DeadLetteringEventHandlerInvoker {

    private final BatchedProjection projection;

    ReleaseAwareInvoker(Builder builder, BatchedProjection projection) {
        super(builder);
        this.projection = projection;
    }

    @Override
    public void segmentReleased(Segment segment) {
        projection.segmentReleased();
        super.segmentReleased(segment);
    }
}
