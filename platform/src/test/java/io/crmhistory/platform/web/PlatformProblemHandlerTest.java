package io.crmhistory.platform.web;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Problems the dispatcher meets outside any controller's own validation. */
class PlatformProblemHandlerTest {

    /** A header the firewall refuses when a controller's parameter reads it: the client's mistake, not a 500. */
    @Test
    void aHeaderTheFirewallRefusesWhenReadIsABadRequestNamingIt() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/customers/c-1");

        ResponseEntity<ProblemDetail> answer = new PlatformProblemHandler().requestRejected(
                new RequestRejectedException("The request was rejected because the header value \"\u0085\" is not allowed."),
                request);

        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        @SuppressWarnings("unchecked")
        List<FieldProblem> errors = (List<FieldProblem>) answer.getBody().getProperties().get(ProblemResponses.ERRORS);
        assertThat(errors).extracting(FieldProblem::field).containsExactly("header");
    }
}
