package io.crmhistory.bench.run;

import io.crmhistory.bench.workload.WorkloadCommand;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends workload commands over HTTP from {@code clients} threads, each waiting for its answer before
 * sending the next (closed loop), and records every latency in an HdrHistogram. A customer's commands
 * always go to the same client, so they arrive in the order they were generated (a refund never
 * overtakes its purchase) however many clients run.
 */
final class LoadDriver {

    /** Latencies up to one minute, to three significant digits, in microseconds. */
    static Histogram newHistogram() {
        return new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    }

    private static final WorkloadCommand END = new WorkloadCommand("END", "", null, "", "", null);

    private LoadDriver() {
    }

    /**
     * Runs until {@code limit} commands are done or {@code deadlineNanos} (a {@link System#nanoTime()}
     * instant; {@code Long.MAX_VALUE} for none) has passed, whichever comes first.
     */
    static Result run(HttpTarget target, Iterator<WorkloadCommand> commands, int clients, long limit, long deadlineNanos) {
        List<BlockingQueue<WorkloadCommand>> queues = new ArrayList<>();
        List<Client> workers = new ArrayList<>();
        AtomicReference<LastWrite> lastWrite = new AtomicReference<>();
        for (int i = 0; i < clients; i++) {
            BlockingQueue<WorkloadCommand> queue = new ArrayBlockingQueue<>(256);
            queues.add(queue);
            workers.add(new Client(target, queue, lastWrite));
        }
        long start = System.nanoTime();
        workers.forEach(Client::start);
        long sent = 0;
        try {
            while (sent < limit && commands.hasNext() && System.nanoTime() < deadlineNanos) {
                WorkloadCommand command = commands.next();
                queues.get(Math.floorMod(command.customerId().hashCode(), clients)).put(command);
                sent++;
            }
            for (BlockingQueue<WorkloadCommand> queue : queues) {
                queue.put(END);
            }
            for (Client worker : workers) {
                worker.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long elapsed = System.nanoTime() - start;
        Histogram latencies = newHistogram();
        long errors = 0;
        List<String> samples = new ArrayList<>();
        for (Client worker : workers) {
            latencies.add(worker.latencies);
            errors += worker.errors.get();
            samples.addAll(worker.errorSamples);
        }
        return new Result(latencies.getTotalCount(), errors, elapsed, latencies, lastWrite.get(),
                samples.subList(0, Math.min(5, samples.size())));
    }

    /** The write acknowledged last, and the customer version it produced (for read-your-writes checks). */
    record LastWrite(String customerId, long version, long ackedNanos) {
    }

    record Result(long completed, long errors, long elapsedNanos, Histogram latencies, LastWrite lastWrite,
                  List<String> errorSamples) {

        /** Commands accepted per second: a refused or failed command is no throughput (it is counted in errors). */
        double perSecond() {
            return (completed - errors) / (elapsedNanos / 1e9);
        }
    }

    private static final class Client extends Thread {

        private final HttpTarget target;
        private final BlockingQueue<WorkloadCommand> queue;
        private final AtomicReference<LastWrite> lastWrite;
        private final Histogram latencies = newHistogram();
        private final AtomicLong errors = new AtomicLong();
        private final List<String> errorSamples = new ArrayList<>();

        Client(HttpTarget target, BlockingQueue<WorkloadCommand> queue, AtomicReference<LastWrite> lastWrite) {
            super("load-" + target.name());
            setDaemon(true);
            this.target = target;
            this.queue = queue;
            this.lastWrite = lastWrite;
        }

        @Override
        public void run() {
            try {
                for (WorkloadCommand command = queue.take(); command != END; command = queue.take()) {
                    long begin = System.nanoTime();
                    HttpTarget.Response response = target.send(command.method(), command.path(), command.bodyJson());
                    long end = System.nanoTime();
                    latencies.recordValue(Math.min(latencies.getHighestTrackableValue(), (end - begin) / 1_000));
                    if (response.ok()) {
                        long version = response.json().path("version").asLong(-1);
                        lastWrite.accumulateAndGet(new LastWrite(command.customerId(), version, end),
                                (a, b) -> a == null || b.ackedNanos() > a.ackedNanos() ? b : a);
                    } else {
                        errors.incrementAndGet();
                        if (errorSamples.size() < 5) {
                            errorSamples.add(command.type() + " -> " + response.status() + " " + response.body());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
