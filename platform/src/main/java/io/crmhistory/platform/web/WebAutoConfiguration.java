package io.crmhistory.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.api.money.Money;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Correlation ids, body size limits, strict JSON bodies and query strings, and problem+json errors for both applications. Runs before
 * Spring MVC's auto-configuration so that Boot's own problem handler and JSON converter step aside for ours.
 */
@AutoConfiguration(before = {WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import(PlatformProblemHandler.class)
public class WebAutoConfiguration {

    /** Before Boot's error MVC auto-configuration, so its BasicErrorController steps aside. */
    @Bean
    ProblemErrorController problemErrorController() {
        return new ProblemErrorController();
    }

    /**
     * An encoded slash ({@code %2F}) in a path is handed on, still encoded, to Spring Security's firewall, which refuses
     * it as a problem ({@code ProblemSecurityHandlers}); refused by Tomcat itself, it got Tomcat's HTML error page.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashesToTheFirewall() {
        return factory -> factory.addConnectorCustomizers(connector ->
                connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
    }

    @Bean
    ProblemResponses problemResponses(ObjectMapper objectMapper) {
        return new ProblemResponses(objectMapper);
    }

    /**
     * Request bodies are read strictly ({@link StrictJsonInput}: unknown and repeated fields, enums by position, text
     * given as a number are refused, 400 naming the field). Only client input is strict; the application's own
     * {@link ObjectMapper} stays lenient, since Axon reads stored events with it and an event written before a field was
     * removed must still load (and checking repeated fields on every stored event a rebuild reads would cost a set per
     * object for events the application wrote itself).
     */
    @Bean
    MappingJackson2HttpMessageConverter strictJsonBodies(ObjectMapper objectMapper) {
        return new MappingJackson2HttpMessageConverter(StrictJsonInput.of(objectMapper));
    }

    /**
     * The API's query strings are as strict as its bodies: a parameter the endpoint does not take is refused. Only under
     * {@code /api}: the actuator and the OpenAPI document have their own conventions.
     */
    @Bean
    WebMvcConfigurer strictQueryParameters() {
        UnknownQueryParameterInterceptor interceptor = new UnknownQueryParameterInterceptor();
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(interceptor).addPathPatterns("/api/**");
            }
        };
    }

    /** First of all filters, so even a 401 or 413 carries the correlation id. */
    @Bean
    FilterRegistrationBean<CorrelationIdFilter> correlationIdFilter() {
        FilterRegistrationBean<CorrelationIdFilter> registration = new FilterRegistrationBean<>(new CorrelationIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(
            @Value("${crm.http.max-body-size:1MB}") DataSize maxBodySize, ProblemResponses problems) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(maxBodySize, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** Only where springdoc describes the API (both sides). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springdoc.core.customizers.OpenApiCustomizer")
    static class OpenApiDescription {

        @Bean
        OpenApiConventions openApiConventions() {
            // springdoc reads types with its own ObjectMapper, which has not the application's Money mix-in: it would
            // describe value as a number and add the derived negative/positive, which a request must not send. Set
            // here, before the first request for the description builds it.
            SpringDocUtils.getConfig().replaceWithSchema(Money.class, OpenApiConventions.moneySchema());
            return new OpenApiConventions();
        }
    }
}
