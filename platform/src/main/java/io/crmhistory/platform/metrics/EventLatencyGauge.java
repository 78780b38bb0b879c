package io.crmhistory.platform.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitorCallback;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Axon's {@code <processor>.latency} gauge (see {@link EventProcessorLatencyMonitor}): the wall-clock time in
 * milliseconds between the newest event a processor took up and when that event was recorded, so it grows during a
 * replay of old events and says nothing else. Axon's monitor builds the gauge and registers it again for every
 * event (Micrometer warns that it is registered already); here it is registered once.
 */
final class EventLatencyGauge implements MessageMonitor<EventMessage<?>> {

    private final Clock clock;
    private final AtomicLong latencyMillis = new AtomicLong();

    EventLatencyGauge(String processorName, MeterRegistry registry) {
        this.clock = registry.config().clock();
        Gauge.builder(processorName + ".latency", latencyMillis, AtomicLong::get).register(registry);
    }

    @Override
    public MonitorCallback onMessageIngested(EventMessage<?> message) {
        latencyMillis.set(clock.wallTime() - message.getTimestamp().toEpochMilli());
        return NoOpMessageMonitorCallback.INSTANCE;
    }
}
