package io.crmhistory.query.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs} (and Swagger UI at {@code /swagger-ui.html}); the credentials and the
 * error answers every call shares are added by the platform ({@code OpenApiConventions}).
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "CRM query side", version = "1",
        description = "Read models of every customer (profile, history, value, segment, forecast), the auditors' view "
                + "of the event store, and the operators' control of projections. Errors are application/problem+json "
                + "naming the field or parameter."))
class OpenApiConfiguration {
}
