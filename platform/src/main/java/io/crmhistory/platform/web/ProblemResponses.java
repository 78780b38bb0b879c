package io.crmhistory.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/** Builds the problem bodies of the whole application, so every error has the same shape. */
public class ProblemResponses {

    public static final String ERRORS = "errors";
    public static final String CORRELATION_ID = "correlationId";

    private final ObjectMapper objectMapper;

    public ProblemResponses(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** A problem listing the fields at fault; its detail joins them for humans reading logs or curl output. */
    public static ProblemDetail withFields(HttpStatusCode status, List<FieldProblem> problems) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ClientInputException.summary(problems));
        problem.setProperty(ERRORS, problems);
        return problem;
    }

    /** A 500 that says where to look (the correlation id), never how the code failed. */
    public static ProblemDetail internalError() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "The request could not be completed "
                + "because of an internal error; quote the correlation id when reporting it.");
    }

    public static ProblemDetail withField(HttpStatusCode status, String field, String reason) {
        return withFields(status, List.of(new FieldProblem(field, reason)));
    }

    /** Writes a problem straight to the response, for filters that answer before Spring MVC does. */
    public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        decorate(problem, request);
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        objectMapper.writeValue(response.getOutputStream(), problem);
    }

    /**
     * A problem as a handler's answer: decorated (instance, correlation id) and with its media type set, so Spring
     * writes it without reading the request's {@code Accept} again (for a header it cannot parse, {@code Accept: json},
     * that failed once more and sent the status with no body).
     */
    public static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpServletRequest request) {
        return respond(problem, request, HttpHeaders.EMPTY);
    }

    /** As {@link #respond(ProblemDetail, HttpServletRequest)}, with headers of its own (e.g. Retry-After). */
    public static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpServletRequest request,
                                                        HttpHeaders headers) {
        decorate(problem, request);
        return ResponseEntity.status(problem.getStatus()).headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** Names the request the problem answers ({@code instance}) and its correlation id, unless already named. */
    public static void decorate(ProblemDetail problem, HttpServletRequest request) {
        if (problem.getInstance() == null) {
            problem.setInstance(URI.create(request.getRequestURI()));
        }
        Object correlationId = request.getAttribute(CorrelationIdFilter.REQUEST_ATTRIBUTE);
        if (correlationId != null) {
            problem.setProperty(CORRELATION_ID, correlationId);
        }
    }
}
