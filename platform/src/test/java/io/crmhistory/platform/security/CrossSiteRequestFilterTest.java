package io.crmhistory.platform.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.platform.web.ProblemResponses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** What a browser may post for another site's page is refused; services, curl and the site's own pages go through. */
class CrossSiteRequestFilterTest {

    private final CrossSiteRequestFilter filter = new CrossSiteRequestFilter(
            new ProblemSecurityHandlers(new ProblemResponses(new ObjectMapper())));

    @ParameterizedTest(name = "{0} Sec-Fetch-Site={1} Origin={2} -> {3}")
    @CsvSource(nullValues = "-", textBlock = """
            POST,   -,           -,                        passed
            POST,   same-origin, http://crm.local:8081,    passed
            POST,   none,        -,                        passed
            POST,   cross-site,  https://evil.example,     refused
            POST,   same-site,   http://other.crm.local,   refused
            DELETE, Cross-Site,  -,                        refused
            POST,   -,           https://evil.example,     refused
            POST,   -,           null,                     refused
            POST,   -,           http://crm.local:8081,    passed
            POST,   -,           http://crm.local:9999,    refused
            GET,    cross-site,  https://evil.example,     passed
            """)
    void aStateChangingRequestFromAnotherSitesPageIsRefused(String method, String fetchSite, String origin,
                                                             String outcome) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/ops/projections/value/rebuild");
        request.setServerName("crm.local");
        request.setServerPort(8081);
        if (fetchSite != null) {
            request.addHeader("Sec-Fetch-Site", fetchSite);
        }
        if (origin != null) {
            request.addHeader("Origin", origin);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, response, chain);

        if (outcome.equals("passed")) {
            assertThat(chain.getRequest()).isSameAs(request);
        } else {
            assertThat(chain.getRequest()).isNull();
            assertThat(response.getStatus()).isEqualTo(403);
            assertThat(response.getContentType()).startsWith("application/problem+json");
            assertThat(response.getContentAsString()).contains("\"Origin\"");
        }
    }
}
