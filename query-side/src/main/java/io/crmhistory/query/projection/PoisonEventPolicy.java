package io.crmhistory.query.projection;

import com.mongodb.MongoException;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.timeout.AxonTimeoutException;
import org.springframework.dao.DataAccessException;

/**
 * Tells a poison event (one the projection's logic cannot handle) from a failure around it: of the store, of
 * the JVM (out of memory), or a handler timed out (Axon interrupts a handler after 30 s; at a million customers a
 * stalled embedded store made whole batches time out, and each was dead-lettered though nothing was wrong with
 * it). A poison event is dead-lettered. Anything else is rethrown: Axon's dead-lettering invoker lets an exception
 * of its policy escape, so the batch is rolled back and retried instead of being skipped (deciding "do not
 * enqueue" would drop the event silently).
 */
final class PoisonEventPolicy implements EnqueuePolicy<EventMessage<?>> {

    static final PoisonEventPolicy INSTANCE = new PoisonEventPolicy();

    private PoisonEventPolicy() {
    }

    @Override
    public EnqueueDecision<EventMessage<?>> decide(DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
        if (isNotTheEventsFault(cause)) {
            throw cause instanceof RuntimeException runtime ? runtime : new ReadModelWriteException(cause);
        }
        return Decisions.enqueue(cause);
    }

    static boolean isNotTheEventsFault(Throwable cause) {
        for (Throwable current = cause; current != null; current = current.getCause()) {
            if (current instanceof ReadModelWriteException || current instanceof DataAccessException
                    || current instanceof MongoException || current instanceof AxonTimeoutException
                    || current instanceof VirtualMachineError) {
                return true;
            }
        }
        return false;
    }
}
