package io.crmhistory.command.infrastructure;

import io.crmhistory.command.customer.CustomerConflictException;
import io.crmhistory.command.customer.UnknownOrderException;
import io.crmhistory.platform.web.ProblemResponses;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import jakarta.servlet.http.HttpServletRequest;

/** The command side's domain answers: unknown customer or order 404, conflicts with the record 409. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class CommandProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(CommandProblemHandler.class);

    @ExceptionHandler(CustomerConflictException.class)
    ResponseEntity<ProblemDetail> conflict(CustomerConflictException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemResponses.withField(HttpStatus.CONFLICT, e.field(), e.reason());
        e.details().forEach(problem::setProperty);
        return ProblemResponses.respond(problem, request);
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> unknownCustomer(AggregateNotFoundException e, HttpServletRequest request) {
        return ProblemResponses.respond(ProblemResponses.withField(HttpStatus.NOT_FOUND, "customerId",
                "no customer '" + e.getAggregateIdentifier() + "' is registered"), request);
    }

    @ExceptionHandler(UnknownOrderException.class)
    ResponseEntity<ProblemDetail> unknownOrder(UnknownOrderException e, HttpServletRequest request) {
        return ProblemResponses.respond(ProblemResponses.withField(HttpStatus.NOT_FOUND, "orderId", e.getMessage()),
                request);
    }

    /** Still conflicting after the gateway's retries: the client may simply try again. */
    @ExceptionHandler({ConcurrencyException.class, AggregateStreamCreationException.class})
    ResponseEntity<ProblemDetail> concurrentModification(RuntimeException e, HttpServletRequest request) {
        log.warn("Command on {} gave up after concurrent modifications: {}", request.getRequestURI(), e.getMessage());
        return ProblemResponses.respond(ProblemResponses.withField(HttpStatus.CONFLICT, "customerId",
                "the customer was being changed concurrently; retry the request"), request);
    }

    /** Shutting down: nothing was recorded, and the same request succeeds once an instance takes commands again. */
    @ExceptionHandler(CommandSideStoppingException.class)
    ResponseEntity<ProblemDetail> stopping(CommandSideStoppingException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemResponses.withField(HttpStatus.SERVICE_UNAVAILABLE, "body", e.getMessage());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return ProblemResponses.respond(problem, request, headers);
    }
}
