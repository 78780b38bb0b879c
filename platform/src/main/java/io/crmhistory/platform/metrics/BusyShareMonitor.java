package io.crmhistory.platform.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.CapacityMonitor;
import org.axonframework.monitoring.MessageMonitor;

import java.time.Duration;

/**
 * Axon's {@code <name>.capacity} gauge (see {@link CapacityMonitor}): the time spent handling messages over the last
 * window, divided by the window, so 1 means one thread busy all the time. Axon's monitor keeps every message's
 * duration of the window in a skip list (a hundred thousand entries at 10,000 events a second, each living long
 * enough to be copied by young collections), builds a name and a reservoir and asks the registry for the gauge on
 * every message (Micrometer then warns that the gauge is registered already). Here the gauge is registered once (the
 * registry keeps one monitor per name) and the durations are summed per tenth of the window ({@link WindowedSum}):
 * a few additions per message, no allocation.
 */
final class BusyShareMonitor implements MessageMonitor<Message<?>> {

    private final Clock clock;
    private final WindowedSum busyNanos;

    BusyShareMonitor(String name, MeterRegistry registry, Duration window) {
        this.clock = registry.config().clock();
        this.busyNanos = new WindowedSum(window.toNanos(), 10);
        Gauge.builder(name + ".capacity", this, BusyShareMonitor::busyShare).register(registry);
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        long start = clock.monotonicTime();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                record();
            }

            @Override
            public void reportFailure(Throwable cause) {
                record();
            }

            @Override
            public void reportIgnored() {
                record();
            }

            private void record() {
                long now = clock.monotonicTime();
                busyNanos.add(now, now - start);
            }
        };
    }

    private double busyShare() {
        return busyNanos.ratePerNano(clock.monotonicTime());
    }
}
