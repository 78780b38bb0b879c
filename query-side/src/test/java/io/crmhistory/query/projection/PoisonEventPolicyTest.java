package io.crmhistory.query.projection;

import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.timeout.AxonTimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoisonEventPolicyTest {

    private final DeadLetter<EventMessage<?>> letter =
            new GenericDeadLetter<>("c-1", GenericEventMessage.asEventMessage("an event"));

    @Test
    void anEventTheLogicCannotHandleIsDeadLettered() {
        assertThat(PoisonEventPolicy.INSTANCE.decide(letter, new IllegalStateException("refund of unknown order"))
                .shouldEnqueue()).isTrue();
    }

    @Test
    void aFailureAroundTheEventIsRetriedNotDeadLettered() {
        RuntimeException timedOut = new AxonTimeoutException("handler timed out");
        assertThatThrownBy(() -> PoisonEventPolicy.INSTANCE.decide(letter, timedOut)).isSameAs(timedOut);

        RuntimeException storeDown = new MongoSocketReadException("closed", new ServerAddress());
        assertThatThrownBy(() -> PoisonEventPolicy.INSTANCE.decide(letter, storeDown)).isSameAs(storeDown);

        Throwable outOfMemory = new IllegalStateException("wrapped", new OutOfMemoryError("Java heap space"));
        assertThatThrownBy(() -> PoisonEventPolicy.INSTANCE.decide(letter, outOfMemory)).isSameAs(outOfMemory);

        Throwable bareError = new OutOfMemoryError("Java heap space");
        assertThatThrownBy(() -> PoisonEventPolicy.INSTANCE.decide(letter, bareError))
                .isInstanceOf(ReadModelWriteException.class).hasCause(bareError);
    }
}
