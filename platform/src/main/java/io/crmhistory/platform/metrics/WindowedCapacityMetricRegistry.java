package io.crmhistory.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.CapacityMonitor;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.queryhandling.QueryMessage;
import org.axonframework.queryhandling.QueryUpdateEmitter;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Axon's meters for its buses and event processors, with one change: the capacity gauge ({@code <name>.capacity},
 * the share of time spent handling) is computed over a short window instead of Axon's 10 minutes. Axon's
 * {@link CapacityMonitor} keeps the duration of every message of its window in memory: a projection catching up at
 * a few thousand events a second held over a million entries per processor, and a query side at 100,000 customers
 * ran out of its 1 GiB heap. The latency gauge is Axon's own monitor; its timers and counters are Axon's meters
 * (names without dimensions, Axon's default) registered once, not per message ({@link PreboundMessageMeters}).
 */
public class WindowedCapacityMetricRegistry extends GlobalMetricRegistry {

    private final Duration capacityWindow;

    public WindowedCapacityMetricRegistry(MeterRegistry meterRegistry, Duration capacityWindow) {
        super(meterRegistry);
        this.capacityWindow = capacityWindow;
    }

    @Override
    public MessageMonitor<? extends Message<?>> registerComponent(Class<?> componentType, String componentName) {
        if (QueryUpdateEmitter.class.isAssignableFrom(componentType)) {
            return handlers(componentName);
        }
        return super.registerComponent(componentType, componentName);
    }

    @Override
    public MessageMonitor<? super EventMessage<?>> registerEventProcessor(String eventProcessorName) {
        MeterRegistry registry = getRegistry();
        return new MultiMessageMonitor<>(List.of(
                new PreboundMessageMeters(eventProcessorName, registry),
                EventProcessorLatencyMonitor.builder().meterNamePrefix(eventProcessorName).meterRegistry(registry).build(),
                capacity(eventProcessorName)));
    }

    @Override
    public MessageMonitor<? super CommandMessage<?>> registerCommandBus(String commandBusName) {
        return handlers(commandBusName);
    }

    /** Axon's timers and counters of the events published, as {@link #handlers} without the capacity. */
    @Override
    public MessageMonitor<? super EventMessage<?>> registerEventBus(String eventBusName) {
        return new PreboundMessageMeters(eventBusName, getRegistry());
    }

    @Override
    public MessageMonitor<? super QueryMessage<?, ?>> registerQueryBus(String queryBusName) {
        return handlers(queryBusName);
    }

    /** What Axon registers for a component that handles messages: timers, the capacity and counters. */
    private MessageMonitor<Message<?>> handlers(String name) {
        return new MultiMessageMonitor<>(new PreboundMessageMeters(name, getRegistry()), capacity(name));
    }

    private CapacityMonitor capacity(String name) {
        return CapacityMonitor.buildMonitor(name, getRegistry(), capacityWindow.toMillis(), TimeUnit.MILLISECONDS);
    }
}
