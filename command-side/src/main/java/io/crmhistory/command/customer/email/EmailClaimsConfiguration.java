package io.crmhistory.command.customer.email;

import io.crmhistory.command.infrastructure.IdentifierHashKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The email claims table, its addresses hashed with the deployment's {@link IdentifierHashKey}.
 */
@Configuration(proxyBeanMethods = false)
class EmailClaimsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmailClaimsConfiguration.class);

    @Bean
    EmailClaims emailClaims(JdbcTemplate jdbcTemplate, IdentifierHashKey key) throws SQLException {
        createTable(jdbcTemplate);
        return new JdbcEmailClaims(jdbcTemplate, new EmailHasher(key.bytes()));
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
