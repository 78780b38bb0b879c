package io.crmhistory.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Axon's meters under Axon's names, registered once; the capacity and latency gauges follow a restarted processor. */
class PreboundMetricRegistryTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final PreboundMetricRegistry registry = new PreboundMetricRegistry(meters, Duration.ofSeconds(10));

    @Test
    void anEventProcessorGetsAxonsMetersWithItsCapacity() {
        handle(registry.registerComponent(EventProcessor.class, "history"), GenericEventMessage.asEventMessage("e"));

        assertThat(meterNames()).contains("history.capacity", "history.latency", "history.successTimer",
                "history.successCounter");
        assertThat(meters.get("history.capacity").gauge().value()).isBetween(0.0, 1.0);
    }

    @Test
    void theCapacityIsTheShareOfTheWindowSpentHandling() {
        MessageMonitor<? extends Message<?>> monitor = registry.registerComponent(EventProcessor.class, "value");
        clock.add(Duration.ofSeconds(20));
        for (int second = 0; second < 10; second++) {
            MessageMonitor.MonitorCallback callback = ingest(monitor, GenericEventMessage.asEventMessage("e" + second));
            clock.add(Duration.ofMillis(400)); // busy 400 ms of every second
            callback.reportSuccess();
            clock.add(Duration.ofMillis(600));
        }
        assertThat(capacity("value")).isCloseTo(0.4, within(0.01));

        // Five seconds idle: the buckets still in the window (whole seconds) cover the last 9 s and hold 4 busy periods.
        clock.add(Duration.ofSeconds(5));
        assertThat(capacity("value")).isCloseTo(1.6 / 9, within(0.01));
        clock.add(Duration.ofSeconds(6));
        assertThat(capacity("value")).isZero();
    }

    @Test
    void aProcessorStartedAgainGetsGaugesThatFollowItsNewMonitors() {
        handle(registry.registerComponent(EventProcessor.class, "segment"), eventAged(Duration.ofMinutes(1)));
        int meterCountOfOneProcessor = meters.getMeters().size();
        assertThat(meters.get("segment.latency").gauge().value()).isEqualTo(60_000);

        MessageMonitor<? extends Message<?>> again = registry.registerComponent(EventProcessor.class, "segment");
        for (int i = 0; i < 1_000; i++) {
            handle(again, eventAged(Duration.ofHours(2)));
        }
        assertThat(meters.get("segment.latency").gauge().value()).isEqualTo(Duration.ofHours(2).toMillis());
        assertThat(meters.get("segment.capacity").gauge().value()).isGreaterThanOrEqualTo(0.0);
        assertThat(meters.getMeters()).map(Meter::getId).filteredOn(id -> id.getName().startsWith("segment."))
                .doesNotHaveDuplicates().hasSize(meterCountOfOneProcessor);
    }

    @Test
    void theCommandBusGetsAxonsHandlerMeters() {
        handle(registry.registerComponent(CommandBus.class, "commandBus"),
                GenericCommandMessage.asCommandMessage("register"));

        assertThat(meterNames()).contains("commandBus.capacity", "commandBus.successTimer",
                "commandBus.successCounter");
    }

    @Test
    void theEventStoreGetsAxonsCountersAndTimers() {
        handle(registry.registerComponent(EventStore.class, "eventStore"), GenericEventMessage.asEventMessage("e"));

        assertThat(meterNames()).contains("eventStore.ingestedCounter", "eventStore.successTimer")
                .doesNotContain("eventStore.capacity");
        assertThat(meters.get("eventStore.successCounter").counter().count()).isEqualTo(1.0);
    }

    private static void handle(MessageMonitor<? extends Message<?>> monitor, Message<?> message) {
        ingest(monitor, message).reportSuccess();
    }

    @SuppressWarnings("unchecked")
    private static MessageMonitor.MonitorCallback ingest(MessageMonitor<? extends Message<?>> monitor, Message<?> message) {
        return ((MessageMonitor<Message<?>>) monitor).onMessageIngested(message);
    }

    private EventMessage<String> eventAged(Duration age) {
        return new GenericEventMessage<>(new GenericMessage<>("e"), () -> Instant.ofEpochMilli(clock.wallTime()).minus(age));
    }

    private double capacity(String processor) {
        return meters.get(processor + ".capacity").gauge().value();
    }

    private java.util.List<String> meterNames() {
        return meters.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).toList();
    }
}
