package io.crmhistory.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a state-changing request a browser sends on behalf of another site (cross-site request forgery). The API
 * sets no cookies, but a browser remembers HTTP Basic credentials for a host once a user has typed them (into the
 * Swagger UI's prompt, say) and sends them with a form another site's page posts: a body-less call such as starting a
 * rebuild or retrying dead letters would then run as that user. Services and command-line clients send neither header
 * checked here; a browser says where a request comes from in {@code Sec-Fetch-Site} (every current browser) and, for
 * a cross-origin request, in {@code Origin}. Reads are left alone: they change nothing, and a page of another site
 * cannot read the answer.
 */
final class CrossSiteRequestFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final ProblemSecurityHandlers problems;

    CrossSiteRequestFilter(ProblemSecurityHandlers problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!SAFE_METHODS.contains(request.getMethod()) && isCrossSite(request)) {
            problems.crossSite(request, response);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isCrossSite(HttpServletRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null) {
            // same-origin, or none (typed into the address bar, a bookmark); same-site is another host of the site
            String site = fetchSite.trim().toLowerCase(Locale.ROOT);
            return site.equals("cross-site") || site.equals("same-site");
        }
        String origin = request.getHeader("Origin");
        return origin != null && !isOwnOrigin(origin.trim(), request);
    }

    /** Where a browser sends no Fetch Metadata: the page's origin must name this host and port. */
    private static boolean isOwnOrigin(String origin, HttpServletRequest request) {
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false; // "null": a sandboxed page, a file, a redirect across origins
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return uri.getHost().equalsIgnoreCase(request.getServerName()) && port == request.getServerPort();
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }
}
