package io.crmhistory.platform.security;

import io.crmhistory.platform.config.RefusedSetting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfiguredUsersTest {

    private final PasswordEncoder encoder =
            new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(4)));

    @Test
    void aPlainPasswordIsStoredAsItsBcryptHashAndTheRolesAsSpringRoles() {
        UserDetails user = only(Map.of("ann", new CrmSecurityProperties.User("s3cret-pw", List.of(" writer", "Ops"))));

        assertThat(user.getPassword()).startsWith(ConfiguredUsers.PRE_ENCODED).doesNotContain("s3cret-pw");
        assertThat(encoder.matches("s3cret-pw", user.getPassword())).isTrue();
        assertThat(user.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder("ROLE_WRITER", "ROLE_OPS");
    }

    @Test
    void aBcryptHashIsKeptAsGiven() {
        String hash = ConfiguredUsers.PRE_ENCODED + new BCryptPasswordEncoder(5).encode("s3cret-pw");

        UserDetails user = only(Map.of("ann", new CrmSecurityProperties.User(hash, List.of("reader"))));

        assertThat(user.getPassword()).isEqualTo(hash);
        assertThat(encoder.matches("s3cret-pw", user.getPassword())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{noop}s3cret-pw", "{MD5}{salt}4ec7a7b3b5b2d8f3c1ab2b8c8c6d6f0e", "{SHA-256}abc",
            "{argon2}$argon2id$v=19$m=16384,t=2,p=1$c2FsdA$aGFzaA", "{ s3cret"})
    void anyOtherPreEncodingStopsTheStartNamingThePropertyAndTheEncoding(String password) {
        String refusal = password.contains("}")
                ? password.substring(0, password.indexOf('}') + 1) + " is not accepted" : "it names no encoding";

        assertThatThrownBy(() -> only(Map.of("ann", new CrmSecurityProperties.User(password, List.of("reader")))))
                .isInstanceOf(RefusedSetting.class)
                .hasMessageStartingWith("crm.security.users.ann.password: a password beginning with '{'")
                .hasMessageContaining(refusal)
                .hasMessageNotContaining("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{bcrypt}s3cret-pw", "{bcrypt}$2a$10$tooShort", "{bcrypt}"})
    void aBcryptIdWithoutABcryptHashStopsTheStart(String password) {
        assertThatThrownBy(() -> only(Map.of("ann", new CrmSecurityProperties.User(password, List.of("reader")))))
                .isInstanceOf(RefusedSetting.class)
                .hasMessageStartingWith("crm.security.users.ann.password: not a bcrypt hash after {bcrypt}")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aMissingPasswordOrAnUnknownRoleStopsTheStart() {
        assertThatThrownBy(() -> only(Map.of("ann", new CrmSecurityProperties.User(" ", List.of("reader")))))
                .hasMessage("crm.security.users.ann.password: not set");
        assertThatThrownBy(() -> only(Map.of("ann", new CrmSecurityProperties.User("pw", List.of("admin")))))
                .hasMessage("crm.security.users.ann.roles: unknown role 'ADMIN' (known: writer, reader, auditor, ops)");
    }

    private UserDetails only(Map<String, CrmSecurityProperties.User> users) {
        List<UserDetails> details = ConfiguredUsers.from(users, encoder);
        assertThat(details).hasSize(1);
        return details.get(0);
    }
}
