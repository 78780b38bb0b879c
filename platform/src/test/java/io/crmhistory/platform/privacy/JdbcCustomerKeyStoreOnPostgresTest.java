package io.crmhistory.platform.privacy;

import io.crmhistory.platform.config.DataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import javax.crypto.SecretKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The key store on PostgreSQL ({@code CRM_TEST_POSTGRES_URL}; skipped when it is not set), where a failed statement
 * aborts the whole transaction: a new key is inserted in a savepoint of the command's transaction, so a key another
 * instance stored first is used instead and the command goes on.
 */
class JdbcCustomerKeyStoreOnPostgresTest {

    @TempDir
    Path dataDir;

    @Test
    void aKeyAnotherInstanceStoredFirstIsUsedAndTheCommandsTransactionGoesOn() throws Exception {
        String url = System.getenv("CRM_TEST_POSTGRES_URL");
        assumeTrue(url != null && !url.isBlank(), "CRM_TEST_POSTGRES_URL is not set");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        PrivacyAutoConfiguration configuration = new PrivacyAutoConfiguration();
        CustomerKeyStore store = configuration.customerKeyStore(jdbc, transactions, new DataDirectory(dataDir),
                Clock.systemUTC(), "", 10, Duration.ofMinutes(5));
        CustomerKeyStore otherInstance = configuration.customerKeyStore(jdbc, transactions, new DataDirectory(dataDir),
                Clock.systemUTC(), "", 10, Duration.ofMinutes(5));
        String customerId = "pg-" + UUID.randomUUID();

        assertThat(store.find(customerId)).isEmpty(); // remembered as absent, so the store will try to insert
        SecretKey othersKey = otherInstance.findOrCreate(customerId);

        SecretKey used = new TransactionTemplate(transactions).execute(status -> {
            SecretKey key = store.findOrCreate(customerId);
            // Without the savepoint PostgreSQL refuses every further statement of the aborted transaction.
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_keys WHERE customer_id = ?", Integer.class,
                    customerId)).isOne();
            return key;
        });

        assertThat(used.getEncoded()).isEqualTo(othersKey.getEncoded());
    }
}
