package io.crmhistory.bench.baseline;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Stateless HTTP Basic like the product's, with verified credentials remembered as the product remembers them
 * ({@link RememberedCredentials}), so both pay the same for authentication.
 */
@Configuration(proxyBeanMethods = false)
class BaselineSecurity {

    /** Bcrypt of the configured strength ({@code crm.security.bcrypt-strength}, default 10), as the product's. */
    @Bean
    PasswordEncoder passwordEncoder(@Value("${crm.security.bcrypt-strength:10}") int strength) {
        DelegatingPasswordEncoder encoder = new DelegatingPasswordEncoder("bcrypt",
                Map.of("bcrypt", new BCryptPasswordEncoder(strength)));
        encoder.setDefaultPasswordEncoderForMatches(PasswordEncoderFactories.createDelegatingPasswordEncoder());
        return encoder;
    }

    @Bean
    UserDetailsService users(BaselineUsers users, PasswordEncoder encoder) {
        InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
        users.users().forEach((name, user) -> manager.createUser(User.withUsername(name)
                .password(user.password().startsWith("{") ? user.password() : encoder.encode(user.password()))
                .roles(user.roles().stream().map(r -> r.trim().toUpperCase(Locale.ROOT)).toArray(String[]::new))
                .build()));
        return manager;
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, UserDetailsService users, PasswordEncoder encoder) throws Exception {
        DaoAuthenticationProvider verifier = new DaoAuthenticationProvider(users);
        verifier.setPasswordEncoder(encoder);
        return http.csrf(AbstractHttpConfigurer::disable)
                .authenticationManager(new ProviderManager(new RememberedCredentials(verifier, Duration.ofMinutes(5))))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> { })
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/actuator/health", "/error").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/**").hasRole("WRITER")
                        .requestMatchers(HttpMethod.PATCH, "/api/**").hasRole("WRITER")
                        .anyRequest().authenticated())
                .build();
    }
}
