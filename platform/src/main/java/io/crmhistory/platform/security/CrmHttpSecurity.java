package io.crmhistory.platform.security;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * The security both applications share: stateless HTTP Basic, problem+json 401/403, health and the
 * OpenAPI description open, everything else authenticated. Each side adds only its own URL-to-role
 * rules, in its own configuration:
 *
 * <pre>{@code
 * @Bean
 * SecurityFilterChain api(HttpSecurity http, CrmHttpSecurity crm) throws Exception {
 *     return crm.build(http, rules -> rules
 *             .requestMatchers(HttpMethod.POST, "/api/customers/**").hasRole(CrmRoles.WRITER)
 *             .requestMatchers(HttpMethod.PUT, "/api/segmentation-rules").hasRole(CrmRoles.OPS));
 * }
 * }</pre>
 *
 * Any request no rule names still requires an authenticated user (never silently open).
 */
public class CrmHttpSecurity {

    private final ProblemSecurityHandlers handlers;
    private final AuthenticationManager authentication;
    private final CrossSiteRequestFilter crossSiteRequests;

    public CrmHttpSecurity(ProblemSecurityHandlers handlers, AuthenticationManager authentication) {
        this.handlers = handlers;
        this.authentication = authentication;
        this.crossSiteRequests = new CrossSiteRequestFilter(handlers);
    }

    public SecurityFilterChain build(
            HttpSecurity http,
            Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> rules)
            throws Exception {
        http
                // A stateless JSON API authenticated per request sets no cookies, so Spring's CSRF tokens have nothing to
                // protect; what a browser could still forge with remembered Basic credentials is refused before them.
                .csrf(AbstractHttpConfigurer::disable)
                .addFilterBefore(crossSiteRequests, BasicAuthenticationFilter.class)
                .authenticationManager(authentication)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.realmName(ProblemSecurityHandlers.REALM).authenticationEntryPoint(handlers))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
                .authorizeHttpRequests(authorize -> {
                    authorize.requestMatchers("/actuator/health", "/actuator/health/**", "/error",
                            "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll();
                    rules.customize(authorize);
                    authorize.anyRequest().authenticated();
                });
        return http.build();
    }
}
