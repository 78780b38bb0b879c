package io.crmhistory.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The prebound meters record what Axon's timer and counting monitors record, under the same names. */
class PreboundMessageMetersTest {

    @Test
    void recordsTheSameMetersAsAxonsTimerAndCountingMonitors() {
        MockClock clock = new MockClock();
        SimpleMeterRegistry axons = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        SimpleMeterRegistry prebound = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        MessageMonitor<Message<?>> axonMonitors = new MultiMessageMonitor<>(
                MessageTimerMonitor.buildMonitor("history", axons, clock), MessageCountingMonitor.buildMonitor("history", axons));
        MessageMonitor<Message<?>> ours = new PreboundMessageMeters("history", prebound);

        for (int i = 0; i < 30; i++) {
            Message<?> message = GenericEventMessage.asEventMessage("event " + i);
            MessageMonitor.MonitorCallback axonCallback = axonMonitors.onMessageIngested(message);
            MessageMonitor.MonitorCallback ourCallback = ours.onMessageIngested(message);
            clock.add(i + 1, TimeUnit.MILLISECONDS);
            switch (i % 3) {
                case 0 -> {
                    axonCallback.reportSuccess();
                    ourCallback.reportSuccess();
                }
                case 1 -> {
                    axonCallback.reportFailure(new IllegalStateException("failed"));
                    ourCallback.reportFailure(new IllegalStateException("failed"));
                }
                default -> {
                    if (i % 2 == 0) {
                        axonCallback.reportIgnored();
                        ourCallback.reportIgnored();
                    }
                }
            }
        }

        // four timers and five counters, and each timer's six percentile gauges
        assertThat(measurements(prebound)).isEqualTo(measurements(axons)).hasSize(9 + 4 * 6)
                .containsKeys("history.allTimer[]", "history.ignoredTimer[]", "history.processedCounter[]");
    }

    private static Map<String, String> measurements(SimpleMeterRegistry registry) {
        Map<String, String> found = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName() + meter.getId().getTags();
            if (meter instanceof Timer timer) {
                found.put(name, timer.count() + " in " + timer.totalTime(TimeUnit.MILLISECONDS) + " ms, max "
                        + timer.max(TimeUnit.MILLISECONDS) + ", percentiles " + Arrays.stream(
                        timer.takeSnapshot().percentileValues()).map(ValueAtPercentile::percentile).toList());
            } else {
                found.put(name, String.valueOf(meter.measure().iterator().next().getValue()));
            }
        }
        return found;
    }
}
