package io.crmhistory.bench.workload;

import java.util.Map;
import java.util.TreeMap;

/** Commands generated so far, by type, and the events the product will store for them. */
public final class WorkloadStats {

    private final Map<String, Long> byType = new TreeMap<>();
    private long commands;

    void count(WorkloadCommand command) {
        byType.merge(command.type(), 1L, Long::sum);
        commands++;
    }

    public long commands() {
        return commands;
    }

    public long of(String type) {
        return byType.getOrDefault(type, 0L);
    }

    public Map<String, Long> byType() {
        return Map.copyOf(byType);
    }

    /**
     * One event per command, plus the move to ACTIVE that a customer's first purchase records: every
     * generated customer buys at least once (as every CDNOW customer did), and status changes are only
     * generated after the last purchase, so no later purchase re-activates anyone.
     */
    public long expectedEvents() {
        return commands + of("RegisterCustomer");
    }
}
