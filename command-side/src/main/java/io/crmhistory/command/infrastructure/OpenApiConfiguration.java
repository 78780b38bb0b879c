package io.crmhistory.command.infrastructure;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs} (and Swagger UI at {@code /swagger-ui.html}); the credentials and the
 * error answers every call shares are added by the platform ({@code OpenApiConventions}).
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "CRM command side", version = "1",
        description = "Records what happens to customers. Errors are application/problem+json naming the field."))
class OpenApiConfiguration {
}
