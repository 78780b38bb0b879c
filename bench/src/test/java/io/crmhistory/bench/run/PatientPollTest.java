package io.crmhistory.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatientPollTest {

    private static final List<JsonNode> ANSWER = List.of(JsonNodeFactory.instance.objectNode().put("name", "history"));

    @Test
    void aFailedPollIsToleratedUntilTooManyFailInARow() {
        AtomicInteger failuresLeft = new AtomicInteger(RebuildScenario.PatientPoll.TOLERATED_FAILURES - 1);
        RebuildScenario.PatientPoll poll = new RebuildScenario.PatientPoll("history", () -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw timeout();
            }
            return ANSWER;
        });
        for (int i = 1; i < RebuildScenario.PatientPoll.TOLERATED_FAILURES; i++) {
            assertThat(poll.next()).as("poll %d", i).isNull();
        }
        assertThat(poll.next()).isEqualTo(ANSWER);
    }

    @Test
    void aServerThatNeverAnswersStopsTheRun() {
        RebuildScenario.PatientPoll poll = new RebuildScenario.PatientPoll("history", () -> {
            throw timeout();
        });
        for (int i = 1; i < RebuildScenario.PatientPoll.TOLERATED_FAILURES; i++) {
            assertThat(poll.next()).isNull();
        }
        assertThatThrownBy(poll::next).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void anAnswerStartsTheCountAgain() {
        AtomicInteger calls = new AtomicInteger();
        RebuildScenario.PatientPoll poll = new RebuildScenario.PatientPoll("history", () -> {
            if (calls.incrementAndGet() % RebuildScenario.PatientPoll.TOLERATED_FAILURES == 0) {
                return ANSWER;
            }
            throw timeout();
        });
        for (int i = 0; i < 3 * RebuildScenario.PatientPoll.TOLERATED_FAILURES; i++) {
            poll.next();
        }
        assertThat(calls).hasValue(3 * RebuildScenario.PatientPoll.TOLERATED_FAILURES);
    }

    private static UncheckedIOException timeout() {
        return new UncheckedIOException("GET /api/ops/projections failed", new SocketTimeoutException("Read timed out"));
    }
}
