package io.crmhistory.bench.baseline;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;
import java.util.Map;

/** The same user properties as the product ({@code crm.security.users.<name>.password|roles}), so the runner configures both alike. */
@ConfigurationProperties("crm.security")
record BaselineUsers(Map<String, User> users) {

    BaselineUsers {
        users = users == null ? Map.of() : Map.copyOf(users);
    }

    record User(String password, List<String> roles) {
        User {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }
}
