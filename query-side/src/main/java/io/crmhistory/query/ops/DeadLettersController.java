package io.crmhistory.query.ops;

import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.FieldProblem;
import io.crmhistory.query.projection.ProjectionCatalog;
import io.crmhistory.query.projection.ProjectionProcessors;
import io.crmhistory.query.projection.ProjectionVersion;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.mongo.eventhandling.deadletter.MongoDeadLetter;
import org.axonframework.messaging.deadletter.Cause;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The dead letters of a projection (role ops): events its logic could not handle, grouped by sequence (the
 * customer, whose later events wait behind the first failed one so they are applied in order). Ops list
 * them, retry a sequence (or all) once the cause is fixed, or drop a sequence, which leaves those events out
 * of the read model for good (a later rebuild applies them again). The live version unless
 * {@code version} names the version being rebuilt.
 */
@RestController
@Tag(name = "ops: dead letters", description = "Events a read model could not apply, parked until retried or dropped (role ops)")
class DeadLettersController {

    private static final Logger log = LoggerFactory.getLogger(DeadLettersController.class);
    private static final int MAX_LISTED = 1000;

    private final ProjectionProcessors processors;
    private final ProjectionCatalog catalog;
    private final Rebuilds rebuilds;
    private final StoredPositions positions;

    DeadLettersController(ProjectionProcessors processors, ProjectionCatalog catalog, Rebuilds rebuilds,
                          StoredPositions positions) {
        this.processors = processors;
        this.catalog = catalog;
        this.rebuilds = rebuilds;
        this.positions = positions;
    }

    @Operation(summary = "A version's dead letters (the live version unless version is given)")
    @GetMapping("/api/ops/projections/{name}/dead-letters")
    DeadLetters list(@PathVariable String name, @RequestParam(required = false) Integer version) {
        ProjectionProcessors.Running running = running(name, version);
        List<Sequence> sequences = new ArrayList<>();
        int listed = 0;
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : running.deadLetters().deadLetters()) {
            List<Letter> letters = new ArrayList<>();
            String sequenceId = null;
            for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                sequenceId = sequenceIdOf(letter);
                letters.add(Letter.of(letter));
            }
            sequences.add(new Sequence(sequenceId, letters));
            if (++listed == MAX_LISTED) {
                break;
            }
        }
        return new DeadLetters(name, running.version().version(), running.deadLetters().amountOfSequences(),
                running.deadLetters().size(), sequences);
    }

    @Operation(summary = "Retry one customer's dead letters")
    @PostMapping(path = "/api/ops/projections/{name}/dead-letters/{sequenceId}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
    RetryResult retry(@PathVariable String name, @PathVariable String sequenceId,
                      @RequestParam(required = false) Integer version, Principal principal) {
        ProjectionProcessors.Running running = running(name, version);
        requirePresent(running, sequenceId);
        Iterator<DeadLetter<? extends EventMessage<?>>> letters =
                running.deadLetters().deadLetterSequence(sequenceId).iterator();
        if (letters.hasNext() && !storedPast(positions.storedTokens(running.version()), letters.next())) {
            throw new ClientInputException(HttpStatus.CONFLICT, List.of(new FieldProblem("sequenceId", "the batch "
                    + "that dead-lettered these events is not stored yet (it is being handled or delivered again, and "
                    + "may hold the customer's events before them); retry in a few seconds")));
        }
        boolean succeeded = running.invoker().process(letter -> sequenceId.equals(sequenceIdOf(letter)));
        log.info("{} retried dead-letter sequence {} of {}: {}", principal.getName(), sequenceId, running.version(),
                succeeded ? "applied" : "failed again");
        return new RetryResult(succeeded ? 1 : 0, succeeded ? 0 : 1, 0, running.deadLetters().amountOfSequences());
    }

    @Operation(summary = "Retry every dead letter of a version")
    @PostMapping(path = "/api/ops/projections/{name}/dead-letters/retry", produces = MediaType.APPLICATION_JSON_VALUE)
    RetryResult retryAll(@PathVariable String name, @RequestParam(required = false) Integer version,
                         Principal principal) {
        ProjectionProcessors.Running running = running(name, version);
        List<TrackingToken> stored = positions.storedTokens(running.version());
        int ready = 0;
        int waiting = 0;
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : running.deadLetters().deadLetters()) {
            Iterator<DeadLetter<? extends EventMessage<?>>> letters = sequence.iterator();
            if (!letters.hasNext() || storedPast(stored, letters.next())) {
                ready++;
            } else {
                waiting++;
            }
        }
        int succeeded = 0;
        int failed = 0;
        // Each sequence is tried once: a failing one is requeued (touched), and the next call takes another.
        for (int attempt = 0; attempt < ready; attempt++) {
            if (running.invoker().process(letter -> storedPast(stored, letter))) {
                succeeded++;
            } else {
                failed++;
            }
        }
        log.info("{} retried every dead-letter sequence of {}: {} applied, {} failed again, {} not stored yet",
                principal.getName(), running.version(), succeeded, failed, waiting);
        return new RetryResult(succeeded, failed, waiting, running.deadLetters().amountOfSequences());
    }

    @Operation(summary = "Drop one customer's dead letters")
    @DeleteMapping(path = "/api/ops/projections/{name}/dead-letters/{sequenceId}", produces = MediaType.APPLICATION_JSON_VALUE)
    DropResult drop(@PathVariable String name, @PathVariable String sequenceId,
                    @RequestParam(required = false) Integer version, Principal principal) {
        ProjectionProcessors.Running running = running(name, version);
        requirePresent(running, sequenceId);
        int dropped = 0;
        for (DeadLetter<? extends EventMessage<?>> letter : List.copyOf(asList(running.deadLetters().deadLetterSequence(sequenceId)))) {
            running.deadLetters().evict(letter);
            dropped++;
        }
        log.warn("{} dropped dead-letter sequence {} of {} ({} events left out of the read model)",
                principal.getName(), sequenceId, running.version(), dropped);
        return new DropResult(dropped, running.deadLetters().amountOfSequences());
    }

    private ProjectionProcessors.Running running(String name, Integer version) {
        rebuilds.readModel(name);
        if (version != null && version < 1) {
            // ProjectionVersion refuses it too, but as a programming error (a 500); here it is the caller's input.
            throw new ClientInputException("version", "must be 1 or more");
        }
        int number = version != null ? version : catalog.live(name);
        return processors.running(new ProjectionVersion(name, number)).orElseThrow(() -> new ClientInputException(
                HttpStatus.NOT_FOUND, List.of(new FieldProblem("version", "version " + number + " of " + name
                        + " is neither live nor being rebuilt on this instance"))));
    }

    /**
     * Whether the processor has stored its position past the sequence's first letter. A batch writes a letter the
     * moment its event fails, but its states and position only at its end: were it rolled back or cut short, a retry
     * before it is delivered again would apply the letter over the customer's earlier events of that batch, never
     * written, and their redelivery would then be skipped as already applied. Later letters of a sequence are queued
     * behind the first, never applied beside it, so the first is the one to check.
     */
    private static boolean storedPast(List<TrackingToken> stored, DeadLetter<? extends EventMessage<?>> first) {
        return !(first.message() instanceof TrackedEventMessage<?> tracked) || tracked.trackingToken() == null
                || StoredPositions.allCover(stored, tracked.trackingToken());
    }

    private static void requirePresent(ProjectionProcessors.Running running, String sequenceId) {
        if (!running.deadLetters().contains(sequenceId)) {
            throw new ClientInputException(HttpStatus.NOT_FOUND, List.of(new FieldProblem("sequenceId",
                    "no dead letters of sequence '" + sequenceId + "' in " + running.version())));
        }
    }

    private static String sequenceIdOf(DeadLetter<?> letter) {
        return letter instanceof MongoDeadLetter<?> stored ? stored.sequenceIdentifier() : null;
    }

    private static <T> List<T> asList(Iterable<T> iterable) {
        List<T> list = new ArrayList<>();
        iterable.forEach(list::add);
        return list;
    }

    record DeadLetters(String projection, int version, long sequences, long letters, List<Sequence> items) {
    }

    record Sequence(String sequenceId, List<Letter> letters) {
    }

    record Letter(String eventId, String type, Long aggregateSequence, Instant occurredAt, Instant enqueuedAt,
                  Instant lastTouched, String causeType, String causeMessage, Map<String, ?> diagnostics) {

        static Letter of(DeadLetter<? extends EventMessage<?>> letter) {
            EventMessage<?> message = letter.message();
            Long sequence = message instanceof org.axonframework.eventhandling.DomainEventMessage<?> domain
                    ? domain.getSequenceNumber() : null;
            return new Letter(message.getIdentifier(), message.getPayloadType().getSimpleName(), sequence,
                    message.getTimestamp(), letter.enqueuedAt(), letter.lastTouched(),
                    letter.cause().map(Cause::type).orElse(null), letter.cause().map(Cause::message).orElse(null),
                    letter.diagnostics());
        }
    }

    /** @param waiting sequences left alone because the batch that dead-lettered them is not stored yet */
    record RetryResult(int succeeded, int failed, int waiting, long sequencesLeft) {
    }

    record DropResult(int dropped, long sequencesLeft) {
    }
}
