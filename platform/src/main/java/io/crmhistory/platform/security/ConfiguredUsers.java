package io.crmhistory.platform.security;

import io.crmhistory.platform.config.RefusedSetting;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The users of {@code crm.security.users.*}, checked once at start so that a mistake stops the application with the
 * property's name instead of leaving a user who can never log in, or one whose password is stored readable.
 * <p>
 * A password beginning with {@code {} is read as pre-encoded, and only {@code {bcrypt}} hashes are accepted: the
 * other ids Spring knows are readable or fast to guess from a leaked configuration ({@code {noop}}, {@code {MD5}},
 * {@code {SHA-256}}, ...), or need Bouncy Castle, which the product does not ship ({@code {argon2}},
 * {@code {scrypt}}), and a hash in a shape bcrypt does not read would never match.
 */
final class ConfiguredUsers {

    static final String PRE_ENCODED = "{bcrypt}";
    /** What Spring's {@code BCryptPasswordEncoder} reads: version, a two-digit cost, 22 characters of salt, 31 of hash. */
    private static final Pattern BCRYPT_HASH = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./0-9A-Za-z]{53}");

    private ConfiguredUsers() {
    }

    static List<UserDetails> from(Map<String, CrmSecurityProperties.User> users, PasswordEncoder encoder) {
        return users.entrySet().stream()
                .map(user -> toUserDetails(user.getKey(), user.getValue(), encoder))
                .toList();
    }

    private static UserDetails toUserDetails(String name, CrmSecurityProperties.User user, PasswordEncoder encoder) {
        String[] roles = user.roles().stream()
                .map(role -> role.trim().toUpperCase(Locale.ROOT))
                .peek(role -> {
                    if (!CrmRoles.ALL.contains(role)) {
                        throw new RefusedSetting("crm.security.users." + name + ".roles", "unknown role '"
                                + role + "' (known: writer, reader, auditor, ops)");
                    }
                })
                .toArray(String[]::new);
        return User.withUsername(name).password(encoded(name, user.password(), encoder)).roles(roles).build();
    }

    private static String encoded(String name, String password, PasswordEncoder encoder) {
        String property = "crm.security.users." + name + ".password";
        if (password == null || password.isBlank()) {
            throw new RefusedSetting(property, "not set");
        }
        if (!password.startsWith("{")) {
            return encoder.encode(password);
        }
        if (!password.startsWith(PRE_ENCODED)) {
            int end = password.indexOf('}');
            String refusal = end > 0 ? password.substring(0, end + 1) + " is not accepted" : "it names no encoding";
            throw new RefusedSetting(property, "a password beginning with '{' is read as pre-encoded, and "
                    + refusal + "; give the password in plain text (it is hashed with bcrypt at start) or as a "
                    + "bcrypt hash, " + PRE_ENCODED + "$2a$10$...");
        }
        if (!BCRYPT_HASH.matcher(password.substring(PRE_ENCODED.length())).matches()) {
            throw new RefusedSetting(property, "not a bcrypt hash after " + PRE_ENCODED
                    + " ($2a$, $2b$ or $2y$, a two-digit cost, $ and 53 characters of salt and hash)");
        }
        return password;
    }
}
