package io.crmhistory.platform.concurrent;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import java.util.concurrent.ThreadFactory;

/**
 * Threads for the executors the product starts itself (retries, commits, rebuild work, projections): named after
 * their work, so that a thread dump, a profile or the benchmark's per-thread CPU says what each one does, and daemon
 * threads, so that an executor left running never holds the JVM open once Spring has shut down.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Threads named {@code name-1}, {@code name-2}, ... */
    public static ThreadFactory named(String name) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(name + "-");
        factory.setDaemon(true);
        return factory;
    }
}
