package io.crmhistory.query.audit;

import io.crmhistory.api.customer.event.CustomerPersonalDataErased;
import io.crmhistory.query.projection.EventEnvelope;
import io.crmhistory.query.projection.Events;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class CustomerTimelinesTest {

    /**
     * An erasure that commits while a long stream is being read: the first query's events were revealed with the key
     * the erasure destroyed, and the stream read then ends with the erasure. Neither this answer nor a kept copy may
     * show the erased name.
     */
    @Test
    void aStreamThatMetAnErasureWhileBeingReadIsReadAgainWithTheKeyGone() {
        CustomerEventStreams streams = mock(CustomerEventStreams.class);
        when(streams.open("c-1", AsOfReplay.USE)).thenReturn(stream(history("Erin Erased")), stream(history(null)));
        CustomerTimelines timelines = new CustomerTimelines(streams, 100_000, 1, Duration.ofMinutes(10), 100_000);

        List<EventEnvelope> answered = timelines.events("c-1");
        when(streams.from("c-1", 2, AsOfReplay.USE)).thenReturn(DomainEventStream.empty());
        List<EventEnvelope> kept = timelines.events("c-1");

        assertThat(answered).hasSize(2);
        assertThat(answered.toString()).doesNotContain("Erin Erased");
        assertThat(kept.toString()).doesNotContain("Erin Erased");
    }

    /** A stream of more than may be held is not held, nor kept: its questions are answered as it is read. */
    @Test
    void aStreamLongerThanMayBeHeldIsNeitherHeldNorKept() {
        CustomerEventStreams streams = mock(CustomerEventStreams.class);
        Events three = Events.of("c-1").registered("Ann", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "1.00", "EUR", "2025-01-02T00:00:00Z")
                .purchase("o-2", "1.00", "EUR", "2025-01-03T00:00:00Z");
        when(streams.open("c-1", AsOfReplay.USE)).thenAnswer(call -> stream(three));
        CustomerTimelines timelines = new CustomerTimelines(streams, 100_000, 1, Duration.ofMinutes(10), 2);

        assertThat(timelines.events("c-1")).isNull();
        assertThat(timelines.keeps("c-1")).isFalse();
        assertThat(timelines.events("c-1")).as("remembered: streams only grow").isNull();
        verify(streams, times(1)).open("c-1", AsOfReplay.USE);
        assertThat(timelines.stream("c-1")).toIterable().hasSize(3);
    }

    /** A kept stream that grows past what may be held is dropped, not extended. */
    @Test
    void aKeptStreamThatGrowsPastWhatMayBeHeldIsDropped() {
        CustomerEventStreams streams = mock(CustomerEventStreams.class);
        Events events = Events.of("c-1").registered("Ann", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "1.00", "EUR", "2025-01-02T00:00:00Z");
        when(streams.open("c-1", AsOfReplay.USE)).thenAnswer(call -> stream(events));
        CustomerTimelines timelines = new CustomerTimelines(streams, 100_000, 1, Duration.ofMinutes(10), 3);
        assertThat(timelines.events("c-1")).hasSize(2);
        assertThat(timelines.keeps("c-1")).isTrue();

        Events grown = Events.of("c-1").registered("Ann", null, "2025-01-01T00:00:00Z")
                .purchase("o-1", "1.00", "EUR", "2025-01-02T00:00:00Z")
                .purchase("o-2", "1.00", "EUR", "2025-01-03T00:00:00Z")
                .purchase("o-3", "1.00", "EUR", "2025-01-04T00:00:00Z");
        when(streams.from("c-1", 2, AsOfReplay.USE)).thenAnswer(call -> DomainEventStream.of(
                stream(grown).asStream().filter(message -> message.getSequenceNumber() >= 2).toList()));

        assertThat(timelines.events("c-1")).isNull();
        assertThat(timelines.keeps("c-1")).isFalse();
    }

    private static Events history(String name) {
        return Events.of("c-1").registered(name, null, "2025-01-01T00:00:00Z")
                .add(new CustomerPersonalDataErased("c-1", "request", Events.at("2025-02-01T00:00:00Z")));
    }

    private static DomainEventStream stream(Events events) {
        return DomainEventStream.of(events.envelopes().stream()
                .map(envelope -> new GenericDomainEventMessage<>("Customer", "c-1", envelope.sequence(),
                        envelope.event()))
                .toList());
    }
}
