package io.crmhistory.query.projection;

import com.mongodb.MongoException;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.springframework.dao.DataAccessException;

/**
 * Tells a poison event (one the projection's logic cannot handle) from a failure of the store. A poison
 * event is dead-lettered. A store failure is rethrown: Axon's dead-lettering invoker lets an exception of
 * its policy escape, so the batch is rolled back and retried instead of being skipped (deciding "do not
 * enqueue" would drop the event silently).
 */
final class PoisonEventPolicy implements EnqueuePolicy<EventMessage<?>> {

    static final PoisonEventPolicy INSTANCE = new PoisonEventPolicy();

    private PoisonEventPolicy() {
    }

    @Override
    public EnqueueDecision<EventMessage<?>> decide(DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
        if (isStoreFailure(cause)) {
            throw cause instanceof RuntimeException runtime ? runtime : new ReadModelWriteException(cause);
        }
        return Decisions.enqueue(cause);
    }

    static boolean isStoreFailure(Throwable cause) {
        for (Throwable current = cause; current != null; current = current.getCause()) {
            if (current instanceof ReadModelWriteException || current instanceof DataAccessException
                    || current instanceof MongoException) {
                return true;
            }
        }
        return false;
    }
}
