package io.crmhistory.platform.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiConventionsTest {

    @Test
    void everyApiCallGetsTheCredentialsAndTheProblemAnswersItShares() {
        Operation read = operation("200");
        Operation list = operation("200");
        OpenAPI api = new OpenAPI().paths(new Paths()
                .addPathItem("/api/customers/{customerId}/history", new PathItem().get(read))
                .addPathItem("/api/customers", new PathItem().get(list)));

        new OpenApiConventions().customise(api);

        assertThat(read.getResponses()).containsOnlyKeys("200", "400", "401", "403", "404");
        assertThat(read.getResponses().get("404").getDescription()).isEqualTo("Unknown customerId");
        assertThat(read.getResponses().get("400").getContent().get("application/problem+json").getSchema().get$ref())
                .isEqualTo("#/components/schemas/" + OpenApiConventions.PROBLEM_SCHEMA);
        assertThat(list.getResponses()).as("nothing named in the path, nothing to be unknown")
                .containsOnlyKeys("200", "400", "401", "403");
        assertThat(read.getSecurity()).singleElement().satisfies(requirement ->
                assertThat(requirement).containsOnlyKeys(OpenApiConventions.SECURITY_SCHEME));
        assertThat(api.getComponents().getSecuritySchemes()).containsKey(OpenApiConventions.SECURITY_SCHEME);
        assertThat(api.getComponents().getSchemas().get(OpenApiConventions.PROBLEM_SCHEMA).getProperties())
                .containsKeys("status", "detail", "errors", "correlationId");
    }

    @Test
    void whatACallDocumentsItselfIsKeptAndOtherPathsAreLeftAlone() {
        Operation refund = operation("201");
        refund.getResponses().addApiResponse("404", new ApiResponse().description("Unknown customer or order"));
        Operation health = operation("200");
        OpenAPI api = new OpenAPI().paths(new Paths()
                .addPathItem("/api/customers/{customerId}/purchases/{orderId}/refunds", new PathItem().post(refund))
                .addPathItem("/actuator/health", new PathItem().get(health)));

        new OpenApiConventions().customise(api);

        assertThat(refund.getResponses().get("404").getDescription()).isEqualTo("Unknown customer or order");
        assertThat(refund.getResponses()).containsKeys("400", "401", "403");
        assertThat(health.getResponses()).containsOnlyKeys("200");
        assertThat(health.getSecurity()).isNull();
    }

    private static Operation operation(String status) {
        return new Operation().responses(new ApiResponses().addApiResponse(status, new ApiResponse().description("ok")));
    }
}
