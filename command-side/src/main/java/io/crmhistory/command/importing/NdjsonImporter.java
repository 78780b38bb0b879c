package io.crmhistory.command.importing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.api.customer.command.CommandResult;
import io.crmhistory.api.customer.command.RegisterCustomer;
import io.crmhistory.command.customer.CustomerConflictException;
import io.crmhistory.command.customer.UnknownOrderException;
import io.crmhistory.command.infrastructure.CommandDispatcher;
import io.crmhistory.platform.privacy.CustomerKeyStore;
import io.crmhistory.platform.web.ClientInputException;
import org.axonframework.common.caching.Cache;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Streams an NDJSON import: reads one line at a time (a file of any size never sits in memory),
 * and hands each command to one of {@code crm.import.lanes} lanes chosen by customer id. A lane
 * sends its commands one after another, so a customer's lines are recorded in file order, while
 * different customers proceed in parallel. Lane queues are bounded: when they are full the reader
 * waits, which in turn slows the upload (back-pressure instead of buffering).
 * <p>
 * A lane records up to {@code crm.import.batch-size} queued lines in one database transaction, so
 * the cost of a durable commit is shared by the batch instead of paid per line; the data keys of the batch's new
 * customers are stored beforehand, together, in a transaction of their own (each key is committed before anything is
 * encrypted with it, {@link CustomerKeyStore}), instead of one commit per registration. The counts of a batch are taken only once
 * it has committed, and the answer is sent after every batch has: what is reported accepted is on disk.
 */
@Component
class NdjsonImporter {

    private static final Logger log = LoggerFactory.getLogger(NdjsonImporter.class);

    private final CommandDispatcher commands;
    private final ImportLineParser parser;
    private final int laneCount;
    private final int laneCapacity;
    private final int batchSize;
    private final TransactionTemplate batchTransaction;
    private final CustomerKeyStore keys;
    private final Cache customerCache;

    NdjsonImporter(CommandDispatcher commands, ObjectMapper mapper, PlatformTransactionManager transactions,
                   CustomerKeyStore keys, @Qualifier("customerCache") Cache customerCache,
                   @Value("${crm.import.lanes:4}") int laneCount,
                   @Value("${crm.import.lane-capacity:256}") int laneCapacity,
                   @Value("${crm.import.batch-size:100}") int batchSize) {
        this.commands = commands;
        this.parser = new ImportLineParser(mapper);
        this.laneCount = laneCount;
        this.laneCapacity = laneCapacity;
        this.batchSize = batchSize;
        this.batchTransaction = new TransactionTemplate(transactions);
        this.keys = keys;
        this.customerCache = customerCache;
    }

    ImportReport importFrom(InputStream body, Map<String, String> metaData) throws IOException {
        ImportTally tally = new ImportTally();
        List<Lane> lanes = new ArrayList<>(laneCount);
        for (int i = 0; i < laneCount; i++) {
            lanes.add(new Lane(i, metaData, tally));
        }
        long started = System.nanoTime();
        long lineNumber = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                ImportLineParser.Parsed parsed = parser.parse(line);
                if (parsed.problem() != null) {
                    tally.rejected(lineNumber, parsed.problem());
                    continue;
                }
                lanes.get(Math.floorMod(parsed.customerId().hashCode(), laneCount)).put(new Task(lineNumber, parsed.customerId(), parsed.command()));
            }
        } finally {
            lanes.forEach(Lane::finish);
            for (Lane lane : lanes) {
                lane.join();
            }
        }
        ImportReport report = tally.report();
        log.info("Import of {} lines finished in {} ms: {} accepted, {} duplicates, {} rejected", lineNumber,
                (System.nanoTime() - started) / 1_000_000, report.accepted(), report.duplicates(), report.rejected());
        return report;
    }

    private record Task(long line, String customerId, Object command) {
        static final Task END = new Task(-1, null, null);
    }

    private final class Lane implements Runnable {

        private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(laneCapacity);
        private final Map<String, String> metaData;
        private final ImportTally tally;
        private final Thread thread;

        Lane(int index, Map<String, String> metaData, ImportTally tally) {
            this.metaData = metaData;
            this.tally = tally;
            this.thread = new Thread(this, "import-lane-" + index);
            this.thread.start();
        }

        void put(Task task) {
            try {
                queue.put(task);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("import interrupted", e);
            }
        }

        void finish() {
            put(Task.END);
        }

        void join() {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            List<Task> batch = new ArrayList<>(batchSize);
            try {
                boolean ended = false;
                while (!ended) {
                    batch.add(queue.take());
                    queue.drainTo(batch, batchSize - 1);
                    ended = batch.remove(Task.END);
                    if (!batch.isEmpty()) {
                        recordInOneTransaction(batch);
                        batch.clear();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Records the batch in one transaction (each command joins it). When any line is rejected the
         * whole transaction is rolled back and the batch is recorded again line by line, each in its
         * own transaction: a failed statement must not take the other lines with it (PostgreSQL aborts
         * the whole transaction after one), and rejections are rare in an import.
         */
        private void recordInOneTransaction(List<Task> batch) {
            createKeysOfNewCustomers(batch);
            List<Runnable> outcomes = new ArrayList<>(batch.size());
            boolean committed;
            try {
                committed = Boolean.TRUE.equals(batchTransaction.execute(status -> {
                    for (Task task : batch) {
                        Outcome outcome = record(task);
                        if (outcome.rejected()) {
                            status.setRollbackOnly();
                            return false;
                        }
                        outcomes.add(outcome.count());
                    }
                    return true;
                }));
            } catch (RuntimeException e) {
                log.warn("An import batch of {} lines could not be committed at once; recording it line by line", batch.size(), e);
                committed = false;
            }
            if (committed) {
                outcomes.forEach(Runnable::run);
            } else {
                // Each command's unit of work committed inside the batch's transaction and left its customer in the
                // aggregate cache with the events the rollback undid; loaded from there, a line would be taken for
                // a duplicate of itself and lost.
                batch.forEach(task -> customerCache.remove(task.customerId()));
                batch.forEach(task -> record(task).count().run());
            }
        }

        private void createKeysOfNewCustomers(List<Task> batch) {
            List<String> registered = batch.stream().filter(task -> task.command() instanceof RegisterCustomer)
                    .map(task -> ((RegisterCustomer) task.command()).customerId()).toList();
            try {
                keys.createMissing(registered);
            } catch (RuntimeException e) {
                // Not lost: each registration then finds or creates its customer's key itself.
                log.warn("The keys of {} new customers could not be created together", registered.size(), e);
            }
        }

        /** Sends the line's command; what it did is counted only once its transaction has committed. */
        private Outcome record(Task task) {
            try {
                CommandResult result = commands.send(task.command(), metaData);
                return new Outcome(false, result.recorded() ? tally::accepted : tally::duplicate);
            } catch (RuntimeException e) {
                String detail = describe(e);
                return new Outcome(true, () -> tally.rejected(task.line(), detail));
            }
        }
    }

    private record Outcome(boolean rejected, Runnable count) {
    }

    /** The same field and reason the HTTP call would have answered. */
    static String describe(RuntimeException e) {
        if (e instanceof ClientInputException input) {
            return input.getMessage();
        }
        if (e instanceof CustomerConflictException conflict) {
            return conflict.field() + ": " + conflict.reason();
        }
        if (e instanceof AggregateNotFoundException notFound) {
            return "customerId: no customer '" + notFound.getAggregateIdentifier() + "' is registered";
        }
        if (e instanceof UnknownOrderException unknownOrder) {
            return "orderId: " + unknownOrder.getMessage();
        }
        if (e instanceof ConcurrencyException) {
            return "customerId: the customer was being changed concurrently; import the line again";
        }
        log.error("Import line failed unexpectedly", e);
        return "internal error: the line could not be recorded; see the command side's log";
    }
}
