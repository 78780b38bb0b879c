package io.crmhistory.bench.baseline;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import java.util.Locale;

/** Stateless HTTP Basic like the product's, so both pay the same for authentication. */
@Configuration(proxyBeanMethods = false)
class BaselineSecurity {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
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
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
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
