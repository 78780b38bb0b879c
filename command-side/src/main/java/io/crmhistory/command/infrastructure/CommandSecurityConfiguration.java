package io.crmhistory.command.infrastructure;

import io.crmhistory.platform.security.CrmHttpSecurity;
import io.crmhistory.platform.security.CrmRoles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** Who may call what on the command side (SPEC section 8); the rest is the platform's shared setup. */
@Configuration(proxyBeanMethods = false)
class CommandSecurityConfiguration {

    @Bean
    SecurityFilterChain commandSideSecurity(HttpSecurity http, CrmHttpSecurity crm) throws Exception {
        return crm.build(http, rules -> rules
                // erasure is an operator's decision, not a writer's (first match wins)
                .requestMatchers(HttpMethod.DELETE, "/api/customers/*/personal-data").hasRole(CrmRoles.OPS)
                .requestMatchers("/api/customers", "/api/customers/**").hasRole(CrmRoles.WRITER)
                .requestMatchers("/api/import").hasRole(CrmRoles.WRITER)
                .requestMatchers(HttpMethod.PUT, "/api/segmentation-rules").hasRole(CrmRoles.OPS)
                .requestMatchers("/actuator/**").hasRole(CrmRoles.OPS));
    }
}
