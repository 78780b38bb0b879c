package io.crmhistory.bench.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The bench's own JVM, measured like the systems under test: it generates the workload and plays every client on
 * the same two cores, so what it uses is taken from what the product and the baseline could show.
 */
final class OwnProcess {

    static final String NAME = "load generator";

    private static final Path PROC = Path.of("/proc/self");

    private volatile long cpuMark = cpuNanos();

    /** Starts a new measuring window, as {@link ManagedProcess#resetPeaks()} does for the others. */
    void resetPeaks() {
        try {
            Files.writeString(PROC.resolve("clear_refs"), "5");
        } catch (IOException e) {
            // The peak then covers the whole life, as for the other processes.
        }
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
        cpuMark = cpuNanos();
    }

    /**
     * Peak RSS since the last reset; heap: the sum of the heap pools' own peaks, which the JVM tracks exactly
     * (an upper bound of the peak in use, since the pools need not peak together).
     */
    ManagedProcess.Usage usage() {
        long cpu = cpuNanos();
        long used = cpu < 0 || cpuMark < 0 ? -1 : cpu - cpuMark;
        cpuMark = cpu;
        long heap = heapPools().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        return new ManagedProcess.Usage(ManagedProcess.statusKb(PROC, "VmHWM") * 1024, heap, used);
    }

    private static Stream<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isValid());
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
}
