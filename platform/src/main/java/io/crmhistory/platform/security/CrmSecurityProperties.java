package io.crmhistory.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Users from configuration: {@code crm.security.users.<name>.password} and
 * {@code crm.security.users.<name>.roles} (comma list of writer, reader, auditor, ops).
 * A password may be given already encoded as a bcrypt hash with its id prefix ({@code {bcrypt}$2a$...}), the only
 * pre-encoding {@link ConfiguredUsers} accepts.
 * With no user configured, {@link GeneratedCredentials} provides one user per role.
 *
 * @param bcryptStrength cost of the bcrypt hashes of plain-text passwords (tests lower it)
 */
@ConfigurationProperties("crm.security")
public record CrmSecurityProperties(Map<String, User> users, Integer bcryptStrength) {

    public CrmSecurityProperties {
        users = users == null ? Map.of() : new LinkedHashMap<>(users);
        bcryptStrength = bcryptStrength == null ? 10 : bcryptStrength;
    }

    public record User(String password, List<String> roles) {
        public User {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }
}
