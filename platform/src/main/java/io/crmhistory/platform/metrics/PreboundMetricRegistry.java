package io.crmhistory.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.queryhandling.QueryMessage;
import org.axonframework.queryhandling.QueryUpdateEmitter;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Axon's meters for its buses and event processors, under Axon's names (without dimensions, its default), each
 * registered once instead of looked up or registered again for every message: timers and counters
 * ({@link PreboundMessageMeters}), the capacity ({@link BusyShareMonitor}, over {@code crm.metrics.capacity-window}
 * instead of Axon's 10 minutes of kept durations, which took a query side at 100,000 customers out of its 1 GiB heap)
 * and an event processor's latency ({@link EventLatencyGauge}).
 * <p>
 * A gauge is registered once per name and reads the state of the monitor that registered it, so the capacity and
 * latency monitors are kept per name: a processor stopped and started again (Axon asks for its monitors again) gets
 * the same ones and its gauges follow what it handles.
 */
public class PreboundMetricRegistry extends GlobalMetricRegistry {

    private final Duration capacityWindow;
    private final Map<String, BusyShareMonitor> capacities = new ConcurrentHashMap<>();
    private final Map<String, EventLatencyGauge> latencies = new ConcurrentHashMap<>();

    public PreboundMetricRegistry(MeterRegistry meterRegistry, Duration capacityWindow) {
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
        return new MultiMessageMonitor<>(List.of(
                new PreboundMessageMeters(eventProcessorName, getRegistry()),
                latencies.computeIfAbsent(eventProcessorName, name -> new EventLatencyGauge(name, getRegistry())),
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

    private BusyShareMonitor capacity(String name) {
        return capacities.computeIfAbsent(name, key -> new BusyShareMonitor(key, getRegistry(), capacityWindow));
    }
}
