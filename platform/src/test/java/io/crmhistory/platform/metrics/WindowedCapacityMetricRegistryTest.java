package io.crmhistory.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WindowedCapacityMetricRegistryTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final WindowedCapacityMetricRegistry registry = new WindowedCapacityMetricRegistry(meters, Duration.ofSeconds(10));

    @Test
    void anEventProcessorGetsAxonsMetersWithItsCapacity() {
        handle(registry.registerComponent(EventProcessor.class, "history"), GenericEventMessage.asEventMessage("e"));

        assertThat(meterNames()).contains("history.capacity", "history.latency", "history.successTimer",
                "history.successCounter");
        assertThat(meters.get("history.capacity").gauge().value()).isBetween(0.0, 1.0);
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

    @SuppressWarnings("unchecked")
    private static void handle(MessageMonitor<? extends Message<?>> monitor, Message<?> message) {
        ((MessageMonitor<Message<?>>) monitor).onMessageIngested(message).reportSuccess();
    }

    private java.util.List<String> meterNames() {
        return meters.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).toList();
    }
}
