package io.crmhistory.platform.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The timers and counters of Axon's {@link MessageTimerMonitor} and {@link MessageCountingMonitor} as they build
 * them without dimensions ({@code <name>.allTimer}, {@code .successTimer}, {@code .failureTimer},
 * {@code .ignoredTimer}, with the same percentiles; {@code <name>.ingestedCounter}, {@code .successCounter},
 * {@code .failureCounter}, {@code .processedCounter}, {@code .ignoredCounter}), counted and timed the same way, but
 * registered once instead of looked up for every message. Axon's monitors ask the registry for four timers and five
 * counters per message, each a new meter id built and looked up: in a recorded import that was 12 % of the query
 * side's projection threads and 6 % of the command side's import lanes.
 */
final class PreboundMessageMeters implements MessageMonitor<Message<?>> {

    private static final double[] PERCENTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};

    private final Clock clock;
    private final Timer all;
    private final Timer success;
    private final Timer failure;
    private final Timer ignored;
    private final Counter ingestedCount;
    private final Counter successCount;
    private final Counter failureCount;
    private final Counter processedCount;
    private final Counter ignoredCount;

    PreboundMessageMeters(String name, MeterRegistry registry) {
        this.clock = registry.config().clock();
        this.all = timer(name + ".allTimer", registry);
        this.success = timer(name + ".successTimer", registry);
        this.failure = timer(name + ".failureTimer", registry);
        this.ignored = timer(name + ".ignoredTimer", registry);
        this.ingestedCount = registry.counter(name + ".ingestedCounter");
        this.successCount = registry.counter(name + ".successCounter");
        this.failureCount = registry.counter(name + ".failureCounter");
        this.processedCount = registry.counter(name + ".processedCounter");
        this.ignoredCount = registry.counter(name + ".ignoredCounter");
    }

    private static Timer timer(String name, MeterRegistry registry) {
        return Timer.builder(name).distributionStatisticExpiry(Duration.ofMinutes(10)).publishPercentiles(PERCENTILES)
                .register(registry);
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        ingestedCount.increment();
        long start = clock.monotonicTime();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                record(success);
                processedCount.increment();
                successCount.increment();
            }

            @Override
            public void reportFailure(Throwable cause) {
                record(failure);
                processedCount.increment();
                failureCount.increment();
            }

            @Override
            public void reportIgnored() {
                record(ignored);
                ignoredCount.increment();
            }

            private void record(Timer outcome) {
                long nanos = clock.monotonicTime() - start;
                all.record(nanos, TimeUnit.NANOSECONDS);
                outcome.record(nanos, TimeUnit.NANOSECONDS);
            }
        };
    }
}
