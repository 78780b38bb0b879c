package io.crmhistory.platform.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmhistory.platform.config.DataDirectory;
import io.crmhistory.platform.config.PlatformAutoConfiguration;
import io.crmhistory.platform.web.ProblemResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Users, password encoding and the shared HTTP security of both applications. */
@AutoConfiguration(after = PlatformAutoConfiguration.class, before = UserDetailsServiceAutoConfiguration.class)
@EnableConfigurationProperties(CrmSecurityProperties.class)
public class SecurityAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityAutoConfiguration.class);

    /**
     * Spring Security's own observations off. With an observation registry present (Actuator's) it wraps each filter
     * of the chain, the authentication and the authorization in an observation of its own, about a dozen per request,
     * which no metric or dashboard of ours reads; a request is still observed once, as {@code http.server.requests}.
     */
    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @ConditionalOnMissingBean
    PasswordEncoder passwordEncoder(CrmSecurityProperties properties) {
        // bcrypt only: every stored password is {bcrypt}, pre-encoded ones included (ConfiguredUsers checks them).
        return new DelegatingPasswordEncoder("bcrypt",
                Map.of("bcrypt", new BCryptPasswordEncoder(properties.bcryptStrength())));
    }

    @Bean
    @ConditionalOnMissingBean
    UserDetailsService crmUsers(CrmSecurityProperties properties, DataDirectory dataDirectory,
                                PasswordEncoder passwordEncoder) {
        List<UserDetails> users = new ArrayList<>();
        if (properties.users().isEmpty()) {
            Map<String, String> generated = GeneratedCredentials.loadOrCreate(dataDirectory);
            generated.forEach((name, password) -> users.add(
                    User.withUsername(name).password(passwordEncoder.encode(password))
                            .roles(name.toUpperCase(Locale.ROOT)).build()));
            // Where the passwords are, never the passwords themselves.
            log.info("No users configured (crm.security.users.*): using one user per role ({}) with the "
                    + "passwords in {}", String.join(", ", generated.keySet()),
                    GeneratedCredentials.location(dataDirectory));
        } else {
            users.addAll(ConfiguredUsers.from(properties.users(), passwordEncoder));
        }
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    @ConditionalOnMissingBean
    ProblemSecurityHandlers problemSecurityHandlers(ObjectMapper objectMapper) {
        return new ProblemSecurityHandlers(new ProblemResponses(objectMapper));
    }

    @Bean
    @ConditionalOnMissingBean
    CrmHttpSecurity crmHttpSecurity(ProblemSecurityHandlers handlers, UserDetailsService users, PasswordEncoder passwords,
                                    @Value("${crm.security.verified-credentials-ttl:5m}") Duration verifiedTtl,
                                    @Value("${crm.security.failed-logins.limit:20}") int failedLoginLimit,
                                    @Value("${crm.security.failed-logins.window:1m}") Duration failedLoginWindow) {
        DaoAuthenticationProvider verifier = new DaoAuthenticationProvider(users);
        verifier.setPasswordEncoder(passwords);
        return new CrmHttpSecurity(handlers, new ProviderManager(new VerifiedCredentialsCache(
                new FailedLoginThrottle(verifier, failedLoginLimit, failedLoginWindow), verifiedTtl, 10_000)));
    }
}
