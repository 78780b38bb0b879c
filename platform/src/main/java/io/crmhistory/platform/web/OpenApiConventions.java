package io.crmhistory.platform.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What every {@code /api} call of both sides has in common, written into their OpenAPI descriptions so that a client
 * generated from them knows it: HTTP Basic credentials, and the {@code application/problem+json} answers for a
 * request the call does not accept (400), missing or wrong credentials (401), a missing role (403) and, where the
 * path names something, an unknown one (404). A response a call documents itself is left as it is.
 */
public class OpenApiConventions implements OpenApiCustomizer {

    static final String SECURITY_SCHEME = "basic";
    static final String PROBLEM_SCHEMA = "Problem";
    /** The problem schema's reference, for a call documenting a problem answer of its own ({@code @Schema(ref = ...)}). */
    public static final String PROBLEM_SCHEMA_REF = "#/components/schemas/" + PROBLEM_SCHEMA;
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}]+)}");

    @Override
    public void customise(OpenAPI openApi) {
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.setComponents(components
                .addSecuritySchemes(SECURITY_SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                        .description("A user of crm.security (data/credentials.properties in the embedded default) "
                                + "with the call's role: writer, reader, auditor or ops"))
                .addSchemas(PROBLEM_SCHEMA, problemSchema()));
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> {
            if (path.startsWith("/api/")) {
                item.readOperations().forEach(operation -> describeShared(path, operation));
            }
        });
    }

    private static void describeShared(String path, Operation operation) {
        if (operation.getSecurity() == null || operation.getSecurity().isEmpty()) {
            operation.setSecurity(List.of(new SecurityRequirement().addList(SECURITY_SCHEME)));
        }
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        addIfAbsent(responses, "400", "A parameter or body field the call does not accept (an unknown one included): "
                + "errors names each with the reason");
        addIfAbsent(responses, "401", "No or wrong credentials (errors names Authorization)");
        addIfAbsent(responses, "403", "The user lacks the call's role");
        List<String> named = PATH_VARIABLE.matcher(path).results().map(match -> match.group(1)).toList();
        if (!named.isEmpty()) {
            addIfAbsent(responses, "404", "Unknown " + String.join(" or ", named));
        }
    }

    private static void addIfAbsent(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(description).content(new Content()
                    .addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM_SCHEMA)))));
        }
    }

    /** Money as it travels: {@code {"value": "149.90", "currency": "EUR"}}, the value a decimal string. */
    static Schema<?> moneySchema() {
        return new ObjectSchema()
                .description("An amount in one ISO 4217 currency; the value is a decimal string, never a binary number")
                .addProperty("value", new StringSchema().pattern("^-?[0-9]{1,15}(\\.[0-9]+)?$").example("149.90")
                        .description("at most 15 digits before the point and as many after it as the currency has"))
                .addProperty("currency", new StringSchema().pattern("^[A-Z]{3}$").example("EUR"))
                .required(List.of("value", "currency"));
    }

    /** RFC 9457 with the two members this product adds (see {@link ProblemResponses}). */
    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details; errors lists every field at fault")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema().description("the errors joined, for people reading logs"))
                .addProperty("instance", new StringSchema().format("uri"))
                .addProperty(ProblemResponses.ERRORS, new ArraySchema().items(new ObjectSchema()
                        .addProperty("field", new StringSchema().description(
                                "JSON path of a body field (amount.value), a parameter, or a header"))
                        .addProperty("reason", new StringSchema())))
                .addProperty(ProblemResponses.CORRELATION_ID, new StringSchema().description(
                        "the request's X-Correlation-Id, to quote when reporting a problem"));
    }
}
