package io.crmhistory.bench.run;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples the heap in use of every process under test once a second (peak RSS the kernel keeps itself). */
final class MemorySampler implements AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "memory-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private volatile List<ManagedProcess> processes = List.of();

    MemorySampler() {
        scheduler.scheduleAtFixedRate(() -> processes.stream().filter(ManagedProcess::alive)
                .forEach(ManagedProcess::sampleHeap), 1, 1, TimeUnit.SECONDS);
    }

    void watch(List<ManagedProcess> watched) {
        this.processes = List.copyOf(watched);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
