package io.crmhistory.platform.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/**
 * The servlet container's error dispatches as {@code application/problem+json}, like every other error, instead of
 * Spring Boot's JSON error page: what the container refuses or breaks off itself, before or while the application
 * reads the request (an encoded slash in a path, a malformed chunk of a body), reaches the client through here.
 * Replaces Boot's {@code BasicErrorController}.
 */
@Hidden
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        HttpStatus status = statusOf(request);
        ProblemDetail problem = status.is4xxClientError()
                ? ProblemResponses.withField(status, "request", "refused by the server before the application could "
                        + "read it (" + status.getReasonPhrase() + "): check its path, headers and body")
                : ProblemResponses.internalError();
        problem.setStatus(status);
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String path) {
            try {
                problem.setInstance(URI.create(path));
            } catch (IllegalArgumentException notAUri) {
                // left out: the path itself may be what was refused
            }
        }
        return ProblemResponses.respond(problem, request);
    }

    private static HttpStatus statusOf(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        return status == null || !status.isError() ? HttpStatus.INTERNAL_SERVER_ERROR : status;
    }
}
