package io.crmhistory.platform.security;

import io.crmhistory.platform.config.DataDirectory;
import io.crmhistory.platform.config.OwnerOnlyFiles;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The out-of-the-box users: one per role, named after it ({@code writer}, {@code reader},
 * {@code auditor}, {@code ops}), with random passwords kept in {@code <data-dir>/credentials.properties}
 * (owner-only). The first application to start creates the file; every later start, and the other
 * application on the same data directory, reads the same one.
 */
public final class GeneratedCredentials {

    public static final String FILE_NAME = "credentials.properties";
    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedCredentials() {
    }

    /** @return user name to plain-text password, one entry per role name in lower case. */
    public static Map<String, String> loadOrCreate(DataDirectory dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        String content = OwnerOnlyFiles.readOrCreate(file, GeneratedCredentials::generate);
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(content));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> users = new LinkedHashMap<>();
        for (String role : CrmRoles.ALL) {
            String name = role.toLowerCase(Locale.ROOT);
            String password = properties.getProperty(name);
            if (password == null || password.isBlank()) {
                throw new IllegalStateException(file + " has no password for user '" + name
                        + "'; delete the file to generate new credentials");
            }
            users.put(name, password);
        }
        return users;
    }

    public static Path location(DataDirectory dataDirectory) {
        return dataDirectory.resolve(FILE_NAME);
    }

    private static String generate() {
        StringBuilder content = new StringBuilder(
                "# Generated at first start: one user per role. Delete this file to generate new ones.\n");
        for (String role : CrmRoles.ALL) {
            content.append(role.toLowerCase(Locale.ROOT)).append('=').append(randomPassword()).append('\n');
        }
        return content.toString();
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
