package io.crmhistory.query.web;

import io.crmhistory.platform.security.CrmHttpSecurity;
import io.crmhistory.platform.security.CrmRoles;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** Who may call what on the query side (SPEC section 8); the rest is the platform's shared setup. */
@Configuration(proxyBeanMethods = false)
class QuerySecurityConfiguration {

    @Bean
    SecurityFilterChain querySideSecurity(HttpSecurity http, CrmHttpSecurity crm) throws Exception {
        return crm.build(http, rules -> rules
                // The asynchronous dispatch of a streaming response (server-sent events) continues a
                // request that was authorised when it arrived.
                .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                // Every method: a HEAD is answered by the GET handler, so it runs the same query.
                .requestMatchers("/api/audit/access-log").hasRole(CrmRoles.OPS)
                .requestMatchers("/api/audit/**").hasRole(CrmRoles.AUDITOR)
                .requestMatchers(HttpMethod.GET, "/api/segmentation-rules")
                .hasAnyRole(CrmRoles.READER, CrmRoles.AUDITOR, CrmRoles.OPS)
                .requestMatchers("/api/ops/**").hasRole(CrmRoles.OPS)
                .requestMatchers("/api/**").hasRole(CrmRoles.READER)
                .requestMatchers("/actuator/**").hasRole(CrmRoles.OPS));
    }
}
