package io.crmhistory.platform.privacy;

import io.crmhistory.platform.config.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

/**
 * Personal data protection for both applications: the key store in the event store's database
 * (its table created at start, idempotently and tolerant of the other application doing the same)
 * the protector that encrypts and reveals personal fields, and keys derived from the master key for other
 * data at rest.
 * <p>
 * {@code crm.security.master-key} (base64, 32 bytes; default: generated {@code <data-dir>/master.key}),
 * {@code crm.privacy.key-cache-size} (default 10000 keys), {@code crm.privacy.key-cache-ttl}
 * (default 5 minutes: the longest another process may keep using a key after an erasure it did not
 * see).
 */
@AutoConfiguration(after = {JdbcTemplateAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class},
        afterName = "io.crmhistory.platform.config.PlatformAutoConfiguration")
@ConditionalOnBean({JdbcTemplate.class, PlatformTransactionManager.class, DataDirectory.class})
public class PrivacyAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PrivacyAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    CustomerKeyStore customerKeyStore(JdbcTemplate jdbc, PlatformTransactionManager transactions,
                                      DataDirectory dataDirectory,
                                      Clock clock, @Value("${crm.security.master-key:}") String masterKey,
                                      @Value("${crm.privacy.key-cache-size:10000}") long cacheSize,
                                      @Value("${crm.privacy.key-cache-ttl:5m}") Duration cacheTtl) throws SQLException {
        createTable(jdbc);
        return new JdbcCustomerKeyStore(jdbc, transactions, MasterKey.load(masterKey, dataDirectory), clock, cacheSize,
                cacheTtl);
    }

    @Bean
    @ConditionalOnMissingBean
    DerivedKeys derivedKeys(DataDirectory dataDirectory, @Value("${crm.security.master-key:}") String masterKey) {
        return new DerivedKeys(MasterKey.load(masterKey, dataDirectory));
    }

    @Bean
    @ConditionalOnMissingBean
    PersonalDataProtector personalDataProtector(CustomerKeyStore keys) {
        return new PersonalDataProtector(keys);
    }

    private static void createTable(JdbcTemplate jdbc) throws SQLException {
        try (Connection connection = jdbc.getDataSource().getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            try {
                statement.execute("CREATE TABLE IF NOT EXISTS " + JdbcCustomerKeyStore.TABLE + " ("
                        + "customer_id VARCHAR(64) NOT NULL PRIMARY KEY, "
                        + "wrapped_key VARCHAR(128) NOT NULL, "
                        + "created_at TIMESTAMP NOT NULL)");
            } catch (SQLException e) {
                try (Statement check = connection.createStatement()) {
                    check.executeQuery("SELECT 1 FROM " + JdbcCustomerKeyStore.TABLE + " WHERE 1 = 0").close();
                    log.debug("{} was created concurrently by another instance", JdbcCustomerKeyStore.TABLE);
                }
            }
        }
    }
}
