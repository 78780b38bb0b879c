package io.crmhistory.bench.run;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import static org.assertj.core.api.Assertions.assertThat;

class OwnProcessTest {

    @Test
    void theCpuOfAWindowIsWhatThisJvmUsedInIt() {
        OwnProcess own = new OwnProcess();
        own.resetPeaks();
        // Spin until this thread alone has used 0.3 s of CPU, however busy the machine is.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + 300_000_000L;
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            sink += Long.hashCode(sink * 31 + System.nanoTime());
        }
        ManagedProcess.Usage busy = own.usage();
        ManagedProcess.Usage next = own.usage();

        // The kernel counts in ticks of 10 ms; the JVM's other threads only add to it.
        assertThat(busy.cpuNanos()).as("sink %d", sink).isGreaterThan(280_000_000L);
        // Each reading starts the next window, as for the other processes.
        assertThat(next.cpuNanos()).isBetween(0L, busy.cpuNanos());
        assertThat(busy.rssBytes()).isPositive();
        assertThat(busy.heapBytes()).isPositive();
    }
}
