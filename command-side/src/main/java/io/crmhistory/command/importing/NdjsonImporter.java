package io.crmhistory.command.importing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.command.customer.CustomerConflictException;
import io.crmhistory.command.customer.UnknownOrderException;
import io.crmhistory.api.customer.command.CommandResult;
import io.crmhistory.command.infrastructure.CommandDispatcher;
import io.crmhistory.command.infrastructure.IdentifierHashKey;
import io.crmhistory.command.infrastructure.CommandLanes;
import io.crmhistory.command.infrastructure.LostRace;
import io.crmhistory.platform.web.ClientInputException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams an NDJSON import: reads one line at a time (a file of any size never sits in memory) and hands each
 * command to the {@link CommandLanes}, which record a customer's lines in file order and different customers in
 * parallel, many lines per database transaction. Lanes are bounded: when they are full the reader waits, which in
 * turn slows the upload (back-pressure instead of buffering). Each line is counted once its command has committed
 * (or was refused), and the answer is sent after every line has: what is reported accepted is committed
 * ({@link CommandLanes}).
 */
@Component
class NdjsonImporter {

    private static final Logger log = LoggerFactory.getLogger(NdjsonImporter.class);

    /**
     * Far above any valid command (a purchase of 1,000 lines and 10,000 characters of contact notes are well under
     * it), low enough that a line is never a threat to the heap.
     */
    static final int MAX_LINE_CHARS = 1 << 20;

    private final CommandDispatcher commands;
    private final ImportLineParser parser;

    NdjsonImporter(CommandDispatcher commands, ObjectMapper mapper, IdentifierHashKey key) {
        this.commands = commands;
        this.parser = new ImportLineParser(mapper, new ImportContactIds(key.derive("import-contact-id")));
    }

    ImportReport importFrom(InputStream body, Map<String, String> metaData) throws IOException {
        ImportTally tally = new ImportTally();
        // The reader and each line not counted yet; whoever takes it to zero says the import is over.
        AtomicLong unfinished = new AtomicLong(1);
        CompletableFuture<Void> allCounted = new CompletableFuture<>();
        long started = System.nanoTime();
        long lineNumber = 0;
        IOException readFailure = null;
        try (Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8)) {
            NdjsonLines lines = new NdjsonLines(reader, MAX_LINE_CHARS);
            NdjsonLines.Line line;
            while ((line = lines.next()) != null) {
                lineNumber++;
                if (line.tooLong()) {
                    tally.rejected(lineNumber, "body: a line may have at most " + MAX_LINE_CHARS + " characters");
                    continue;
                }
                if (line.text().isBlank()) {
                    continue;
                }
                ImportLineParser.Parsed parsed = parser.parse(line.text());
                if (parsed.problem() != null) {
                    tally.rejected(lineNumber, parsed.problem());
                    continue;
                }
                long number = lineNumber;
                unfinished.incrementAndGet();
                CompletableFuture<CommandResult> submitted;
                try {
                    submitted = commands.submit(parsed.command(), metaData);
                } catch (RuntimeException notQueued) {
                    // shutting down or interrupted: this line will never be counted, and the answer must not wait for it
                    unfinished.decrementAndGet();
                    throw notQueued;
                }
                submitted.whenComplete((result, failure) -> {
                    if (failure != null) {
                        tally.rejected(number, describe(CommandDispatcher.causeOf(failure)));
                    } else if (result.recorded()) {
                        tally.accepted();
                    } else {
                        tally.duplicate();
                    }
                    if (unfinished.decrementAndGet() == 0) {
                        allCounted.complete(null);
                    }
                });
            }
        } catch (IOException e) {
            // The body broke off (the client went away, a malformed chunk): the lines read so far are recorded all
            // the same, so say how far it got; a client mistake, not a failure of ours (no stack trace)
            readFailure = e;
        } finally {
            if (unfinished.decrementAndGet() == 0) {
                allCounted.complete(null);
            }
            allCounted.join();
        }
        ImportReport report = tally.report();
        if (readFailure != null) {
            String counted = report.accepted() + " accepted, " + report.duplicates() + " duplicates, "
                    + report.rejected() + " rejected";
            log.warn("Import stopped after line {}: the body could not be read on ({}); the lines read are counted: {}",
                    lineNumber, readFailure.toString(), counted);
            throw new ClientInputException("body", "could not be read after line " + lineNumber + " ("
                    + readFailure.getMessage() + "); the lines before it were imported: " + counted);
        }
        log.info("Import of {} lines finished in {} ms: {} accepted, {} duplicates, {} rejected", lineNumber,
                (System.nanoTime() - started) / 1_000_000, report.accepted(), report.duplicates(), report.rejected());
        return report;
    }

    /** The same field and reason the HTTP call would have answered. */
    static String describe(Throwable e) {
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
        if (LostRace.is(e)) {
            return "customerId: the customer was being changed concurrently; import the line again";
        }
        log.error("Import line failed unexpectedly", e);
        return "internal error: the line could not be recorded; see the command side's log";
    }
}
