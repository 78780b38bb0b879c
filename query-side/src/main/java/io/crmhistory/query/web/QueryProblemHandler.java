package io.crmhistory.query.web;

import io.crmhistory.platform.web.ProblemResponses;
import io.crmhistory.query.projection.ReadModelBehindException;
import io.crmhistory.query.projection.UnknownCustomerException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;


/**
 * The query side's own problems; the platform's handler (ordered last) takes care of bad parameters.
 * An unknown customer is a 404. A read-your-writes wait that ran out is a 503 with {@code Retry-After}
 * and the version the read model did reach: stale data is never passed off as the requested version.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class QueryProblemHandler {

    static final String RETRY_AFTER_SECONDS = "1";

    @ExceptionHandler(UnknownCustomerException.class)
    ResponseEntity<ProblemDetail> unknownCustomer(UnknownCustomerException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemResponses.withField(HttpStatus.NOT_FOUND, "customerId", e.getMessage());
        return ProblemResponses.respond(problem, request);
    }

    @ExceptionHandler(ReadModelBehindException.class)
    ResponseEntity<ProblemDetail> behind(ReadModelBehindException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemResponses.withField(HttpStatus.SERVICE_UNAVAILABLE, "minVersion", e.getMessage());
        problem.setTitle("Read model behind the requested version");
        problem.setProperty("readModel", e.readModel());
        problem.setProperty("requiredVersion", e.requiredVersion());
        problem.setProperty("reachedVersion", e.reachedVersion());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        return ProblemResponses.respond(problem, request, headers);
    }
}
