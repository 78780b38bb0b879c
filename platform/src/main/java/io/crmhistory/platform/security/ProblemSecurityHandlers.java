package io.crmhistory.platform.security;

import io.crmhistory.platform.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.io.IOException;

/**
 * 401, 403 and the firewall's refusals of suspicious paths (400) as {@code application/problem+json}, like every
 * other client error. Registered as the {@link RequestRejectedHandler} bean, which Spring Security's filter chain
 * picks up; without it a refused path ends in the servlet container's error page.
 */
public class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    static final String REALM = "crm";
    private final ProblemResponses problems;

    public ProblemSecurityHandlers(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
                         AuthenticationException authException) throws IOException {
        if (authException instanceof FailedLoginThrottle.TooManyFailedLogins throttled) {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(throttled.retryAfter().toSeconds()));
            problems.write(request, response, ProblemResponses.withField(HttpStatus.TOO_MANY_REQUESTS, "Authorization",
                    "too many failed logins from this address; retry after " + throttled.retryAfter().toSeconds()
                            + " s"));
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
        problems.write(request, response, ProblemResponses.withField(HttpStatus.UNAUTHORIZED, "Authorization",
                "valid credentials are required (HTTP Basic)"));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
                       AccessDeniedException accessDeniedException) throws IOException {
        problems.write(request, response, ProblemResponses.withField(HttpStatus.FORBIDDEN, "Authorization",
                "user '" + (request.getUserPrincipal() == null ? "?" : request.getUserPrincipal().getName())
                        + "' does not have the role this call requires"));
    }

    /** A state-changing request a browser sent for another site's page ({@link CrossSiteRequestFilter}). */
    void crossSite(HttpServletRequest request, HttpServletResponse response) throws IOException {
        problems.write(request, response, ProblemResponses.withField(HttpStatus.FORBIDDEN, "Origin",
                "a browser sent this request for another site's page; state-changing calls are taken from this "
                        + "site's own pages and from clients that are not browsers"));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
                       RequestRejectedException requestRejectedException) throws IOException {
        problems.write(request, response, ProblemResponses.withField(HttpStatus.BAD_REQUEST, "path",
                "the request's path or method is refused: " + requestRejectedException.getMessage()));
    }
}
