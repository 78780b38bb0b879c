package io.crmhistory.platform.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.crmhistory.platform.rules.InvalidRuleException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.util.StringUtils;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.beans.TypeMismatchException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The generic client errors of both applications as {@code application/problem+json}: what is
 * wrong, and in which field. Built on Spring's {@link ResponseEntityExceptionHandler} (which already
 * turns 405, 415, 404 and friends into problem details); this adds the field names Jackson and the
 * validator know, and makes sure no exception reaches a client as a stack trace.
 * <p>
 * It runs last: each application's own advice (domain conflicts, unknown customers) comes first.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class PlatformProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(PlatformProblemHandler.class);

    @ExceptionHandler(ClientInputException.class)
    ResponseEntity<ProblemDetail> clientInput(ClientInputException e, HttpServletRequest request) {
        return ProblemResponses.respond(ProblemResponses.withFields(e.status(), e.problems()), request);
    }

    @ExceptionHandler(InvalidRuleException.class)
    ResponseEntity<ProblemDetail> invalidRule(InvalidRuleException e, HttpServletRequest request) {
        return ProblemResponses.respond(ProblemResponses.withField(HttpStatus.BAD_REQUEST, e.field(), e.reason()), request);
    }

    /**
     * Spring Security's firewall checks a header's value only when it is read: one read for a controller's parameter
     * (a C1 control character in {@code X-Min-Version}, say) is refused here, inside the dispatcher, not in the filter
     * chain ({@link io.crmhistory.platform.security.ProblemSecurityHandlers}).
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> requestRejected(RequestRejectedException e, HttpServletRequest request) {
        return ProblemResponses.respond(ProblemResponses.withField(HttpStatus.BAD_REQUEST, "header",
                "a header of the request is refused: " + e.getMessage()), request);
    }

    /** Anything unexpected: a 500 that says where to look (the correlation id), never how the code failed. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected failure handling {} {}", request.getMethod(), request.getRequestURI(), e);
        return ProblemResponses.respond(ProblemResponses.internalError(), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        BodySizeLimitFilter.PayloadTooLargeException tooLarge = causeOf(ex, BodySizeLimitFilter.PayloadTooLargeException.class);
        if (tooLarge != null) {
            return problem(tooLarge.problem(), request);
        }
        FieldProblem problem = JsonProblems.describe(ex.getCause());
        return problem(ProblemResponses.withFields(HttpStatus.BAD_REQUEST, List.of(problem)), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            problems.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
        }
        ex.getBindingResult().getGlobalErrors().forEach(error ->
                problems.add(new FieldProblem(error.getObjectName(), error.getDefaultMessage())));
        return problem(ProblemResponses.withFields(HttpStatus.BAD_REQUEST, problems), request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<FieldProblem> problems = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> new FieldProblem(
                        result.getMethodParameter().getParameterName(), error.getDefaultMessage())))
                .toList();
        return problem(ProblemResponses.withFields(HttpStatus.BAD_REQUEST, problems), request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String field = ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName() : ex.getPropertyName();
        String expected = ex.getRequiredType() == null ? "value" : JsonProblems.describeType(ex.getRequiredType());
        return problem(ProblemResponses.withField(HttpStatus.BAD_REQUEST, field,
                "'" + ex.getValue() + "' is not a valid " + expected), request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          WebRequest request) {
        return problem(ProblemResponses.withField(HttpStatus.BAD_REQUEST, ex.getParameterName(), "is required"), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
                                                                         HttpHeaders headers, HttpStatusCode status,
                                                                         WebRequest request) {
        String allowed = ex.getSupportedHttpMethods() == null ? ""
                : ex.getSupportedHttpMethods().stream().map(Object::toString).collect(Collectors.joining(", "));
        ProblemDetail problem = ProblemResponses.withField(status, "method",
                ex.getMethod() + " is not supported here" + (allowed.isEmpty() ? "" : "; allowed: " + allowed));
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
                                                                     HttpHeaders headers, HttpStatusCode status,
                                                                     WebRequest request) {
        // Spring leaves the content type out both when none was sent and when the one sent is not a media type at all
        // (application/json;charset=bogus): the header tells the two apart. An empty header is none (Spring reads it
        // as application/octet-stream).
        String sent = StringUtils.hasText(request.getHeader(HttpHeaders.CONTENT_TYPE))
                ? request.getHeader(HttpHeaders.CONTENT_TYPE) : null;
        String reason = sent == null ? "missing"
                : ex.getContentType() == null ? "'" + sent + "' is not a valid media type"
                : "'" + ex.getContentType() + "' is not supported";
        // Refused while matching a request to an endpoint without a declared body type, Spring has none to list.
        List<MediaType> supported = ex.getSupportedMediaTypes();
        ProblemDetail problem = ProblemResponses.withField(status, HttpHeaders.CONTENT_TYPE,
                supported.isEmpty() ? reason : reason + "; supported: " + listed(supported));
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException ex,
                                                                      HttpHeaders headers, HttpStatusCode status,
                                                                      WebRequest request) {
        String asked = request.getHeader(HttpHeaders.ACCEPT);
        ProblemDetail problem = ProblemResponses.withField(status, HttpHeaders.ACCEPT,
                (asked == null ? "nothing" : "'" + asked + "'") + " cannot be answered; available: "
                        + listed(ex.getSupportedMediaTypes()));
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    /** No controller and no static resource at the path: a 404 naming the path, like every other rejection a field. */
    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemResponses.withField(status, "path",
                "/" + ex.getResourcePath() + " names nothing here; the API is described at /v3/api-docs");
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
                                                          HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            decorate(problem, request);
            if (headers.getContentType() == null) {
                HttpHeaders typed = new HttpHeaders();
                typed.putAll(headers);
                typed.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
                headers = typed;
            }
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    /** A problem Spring's own handling found: decorated and typed in {@link #createResponseEntity}, as the others. */
    private ResponseEntity<Object> problem(ProblemDetail problem, WebRequest request) {
        return createResponseEntity(problem, new HttpHeaders(), HttpStatusCode.valueOf(problem.getStatus()), request);
    }

    private static void decorate(ProblemDetail problem, WebRequest request) {
        if (request instanceof NativeWebRequest nativeRequest) {
            HttpServletRequest servletRequest = nativeRequest.getNativeRequest(HttpServletRequest.class);
            if (servletRequest != null) {
                ProblemResponses.decorate(problem, servletRequest);
            }
        }
    }

    private static String listed(List<?> mediaTypes) {
        return mediaTypes.stream().map(Object::toString).collect(Collectors.joining(", "));
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
