package io.crmhistory.query.projection;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import javax.annotation.Nonnull;

/**
 * Wraps each event a batched projection's processor hands it: wakes the processor's reader when a batch begins and
 * tells the projection after each event, so that it writes after the batch's last.
 * <p>
 * A batch begins by taking the events queued for it, so a reader asleep on the full queue ({@link CoordinatorScheduler})
 * can read the next ones while the batch runs. Once per batch: a later wake-up would find the queue full again.
 */
final class ProjectionBatchInterceptor implements MessageHandlerInterceptor<EventMessage<?>> {

    private final BatchedProjection projection;
    private final CoordinatorScheduler reader;

    ProjectionBatchInterceptor(BatchedProjection projection, CoordinatorScheduler reader) {
        this.projection = projection;
        this.reader = reader;
    }

    @Override
    public Object handle(@Nonnull UnitOfWork<? extends EventMessage<?>> unitOfWork, @Nonnull InterceptorChain chain)
            throws Exception {
        if (unitOfWork instanceof BatchingUnitOfWork<?> batch && batch.isFirstMessage()) {
            reader.runDelayedNow();
        }
        Object result = chain.proceed();
        projection.endOfBatch();
        return result;
    }
}
