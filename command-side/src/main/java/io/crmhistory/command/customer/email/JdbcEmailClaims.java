package io.crmhistory.command.customer.email;

import io.crmhistory.command.customer.CustomerConflictException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/**
 * Email claims in the {@code email_claims} table of the event store's database. The JDBC template
 * takes its connection from the Spring transaction Axon opens around each command (Axon's JDBC
 * storage engine draws from the same one), so a claim commits or rolls back with the customer's
 * events. The primary key decides between two concurrent claims of one address: the second insert
 * waits for the first transaction and then fails. Addresses are stored only as keyed hashes.
 */
class JdbcEmailClaims implements EmailClaims {

    private final JdbcTemplate jdbc;
    private final EmailHasher hasher;

    JdbcEmailClaims(JdbcTemplate jdbc, EmailHasher hasher) {
        this.jdbc = jdbc;
        this.hasher = hasher;
    }

    @Override
    public void claim(String customerId, String email) {
        String hash = hasher.hash(email);
        List<String> owners = jdbc.queryForList("SELECT customer_id FROM email_claims WHERE email_hash = ?", String.class, hash);
        if (!owners.isEmpty()) {
            if (owners.get(0).equals(customerId)) {
                return;
            }
            throw taken();
        }
        try {
            jdbc.update("INSERT INTO email_claims (email_hash, customer_id) VALUES (?, ?)", hash, customerId);
        } catch (DuplicateKeyException claimedConcurrently) {
            throw taken();
        }
    }

    @Override
    public void release(String customerId, String email) {
        jdbc.update("DELETE FROM email_claims WHERE email_hash = ? AND customer_id = ?", hasher.hash(email), customerId);
    }

    @Override
    public void releaseAll(String customerId) {
        jdbc.update("DELETE FROM email_claims WHERE customer_id = ?", customerId);
    }

    /** Never names the address: problem details and logs carry no personal data. */
    private static CustomerConflictException taken() {
        return new CustomerConflictException("email", "the address belongs to another customer");
    }
}
