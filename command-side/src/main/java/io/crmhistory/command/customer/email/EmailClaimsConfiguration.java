package io.crmhistory.command.customer.email;

import io.crmhistory.platform.config.DataDirectory;
import io.crmhistory.platform.config.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;

/**
 * The email claims table and its hashing key: {@code crm.security.email-hash-key} (base64, at least
 * 16 bytes) or, when unset, a random key generated at first start into
 * {@code <data-dir>/email-hash.key} (owner-only). The key must stay the same for the lifetime of
 * the event store: with another key, existing claims would no longer be recognised.
 */
@Configuration(proxyBeanMethods = false)
class EmailClaimsConfiguration {

    static final String KEY_FILE = "email-hash.key";
    private static final Logger log = LoggerFactory.getLogger(EmailClaimsConfiguration.class);

    @Bean
    EmailClaims emailClaims(JdbcTemplate jdbcTemplate, DataDirectory dataDirectory,
                            @Value("${crm.security.email-hash-key:}") String configuredKey) throws SQLException {
        createTable(jdbcTemplate);
        return new JdbcEmailClaims(jdbcTemplate, new EmailHasher(key(dataDirectory, configuredKey)));
    }

    private static byte[] key(DataDirectory dataDirectory, String configuredKey) {
        String encoded = configuredKey.isBlank()
                ? OwnerOnlyFiles.readOrCreate(dataDirectory.resolve(KEY_FILE), EmailClaimsConfiguration::randomKey).trim()
                : configuredKey.trim();
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // not base64: use the text itself as key material
            return encoded.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key) + "\n";
    }

    /** Idempotent and tolerant of the table being created at the same moment by another instance. */
    private static void createTable(JdbcTemplate jdbc) throws SQLException {
        try (Connection connection = jdbc.getDataSource().getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            try {
                statement.execute("CREATE TABLE IF NOT EXISTS email_claims ("
                        + "email_hash VARCHAR(64) NOT NULL PRIMARY KEY, "
                        + "customer_id VARCHAR(64) NOT NULL)");
            } catch (SQLException e) {
                try (Statement check = connection.createStatement()) {
                    check.executeQuery("SELECT 1 FROM email_claims WHERE 1 = 0").close();
                    log.debug("email_claims was created concurrently by another instance");
                }
            }
        }
    }
}
