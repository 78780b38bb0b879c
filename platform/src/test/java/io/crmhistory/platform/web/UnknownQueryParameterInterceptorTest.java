package io.crmhistory.platform.web;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;

import java.security.Principal;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class UnknownQueryParameterInterceptorTest {

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Endpoints())
            .addInterceptors(new UnknownQueryParameterInterceptor())
            .setControllerAdvice(new PlatformProblemHandler())
            .build();

    @Test
    void declaredParametersPassWhetherNamedByTheAnnotationOrTheCode() throws Exception {
        mvc.perform(get("/api/things/7/history?types=A,B&limit=5&order=asc"))
                .andExpect(status().isOk())
                .andExpect(content().string("7 A,B 5 asc"));
    }

    @Test
    void anUnknownParameterIsAProblemNamingItAndWhatTheEndpointTakes() throws Exception {
        mvc.perform(get("/api/things/7/history?type=A&limit=5"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors.length()").value(1))
                .andExpect(jsonPath("$.errors[0].field").value("type"))
                .andExpect(jsonPath("$.errors[0].reason")
                        .value("is not a parameter of this endpoint; it takes limit, order, types"));
    }

    @Test
    void everyUnknownParameterIsNamedOnceEvenWhenRepeatedOrEscaped() throws Exception {
        mvc.perform(get("/api/things/7/history").queryParam("sort", "x").queryParam("sort", "y")
                        .queryParam("page size", "3"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.length()").value(2))
                .andExpect(jsonPath("$.errors[0].field").value("sort"))
                .andExpect(jsonPath("$.errors[1].field").value("page size"));
    }

    /**
     * Spring joins a repeated text parameter (types=A&types=B read as "A,B") and keeps the first of a number (limit=5
     * and limit=1 read as 5): neither may be what the client meant, so a parameter given twice is refused, however
     * its name is escaped.
     */
    @Test
    void aDeclaredParameterGivenMoreThanOnceIsAProblemNamingIt() throws Exception {
        mvc.perform(get("/api/things/7/history?limit=5&order=asc&limit=1"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.length()").value(1))
                .andExpect(jsonPath("$.errors[0].field").value("limit"))
                .andExpect(jsonPath("$.errors[0].reason")
                        .value("is given 2 times; give it once (a list as one comma-separated value)"));
        mvc.perform(get(java.net.URI.create("/api/things/7/history?types=A&%74ypes=B")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("types"));
    }

    @Test
    void anEndpointWithoutParametersRefusesAnyAndABrokenEscapeIsShownAsSent() throws Exception {
        mvc.perform(post("/api/things/7/archive?force=true"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("force"))
                .andExpect(jsonPath("$.errors[0].reason").value("is not a parameter of this endpoint, which takes none"));
        mvc.perform(post("/api/things/7/archive?%zz=1"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("%zz"));
    }

    @Test
    void aFormBodyIsNotAQuery() throws Exception {
        mvc.perform(post("/api/things/7/archive").contentType(MediaType.APPLICATION_FORM_URLENCODED).content("force=true"))
                .andExpect(status().isOk());
    }

    @Test
    void anEndpointTakingAMapOfParametersTakesAnyName() throws Exception {
        mvc.perform(get("/api/things/search?colour=red&size=9"))
                .andExpect(status().isOk())
                .andExpect(content().string("2"));
    }

    @Test
    void unannotatedSimpleParametersAreBoundFromTheQueryAndSoKnown() throws Exception {
        assertThat(UnknownQueryParameterInterceptor.namesBoundBy(new HandlerMethod(
                new Endpoints(), Endpoints.class.getDeclaredMethod("implicit", String.class, Principal.class))))
                .contains(Set.of("colour"));
    }

    @RestController
    static class Endpoints {

        @GetMapping("/api/things/{id}/history")
        String history(@PathVariable String id, @RequestParam(required = false) String types,
                       @RequestParam(name = "limit", required = false) Integer pageSize,
                       @RequestParam(required = false) String order) {
            return id + " " + types + " " + pageSize + " " + order;
        }

        @PostMapping("/api/things/{id}/archive")
        String archive(@PathVariable String id) {
            return id;
        }

        @GetMapping("/api/things/search")
        String search(@RequestParam Map<String, String> filters) {
            return Integer.toString(filters.size());
        }

        @GetMapping("/api/things/implicit")
        String implicit(String colour, Principal principal) {
            return colour;
        }
    }
}
