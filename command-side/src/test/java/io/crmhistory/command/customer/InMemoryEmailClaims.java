package io.crmhistory.command.customer;

import io.crmhistory.command.customer.email.EmailClaims;

import java.util.HashMap;
import java.util.Map;

/** The email claim rules without a database, for aggregate tests. */
class InMemoryEmailClaims implements EmailClaims {

    final Map<String, String> owners = new HashMap<>();

    @Override
    public void claim(String customerId, String email) {
        String owner = owners.putIfAbsent(EmailClaims.normalize(email), customerId);
        if (owner != null && !owner.equals(customerId)) {
            throw new CustomerConflictException("email", "the address belongs to another customer");
        }
    }

    @Override
    public void releaseAll(String customerId) {
        owners.values().removeIf(customerId::equals);
    }

    @Override
    public void release(String customerId, String email) {
        owners.remove(EmailClaims.normalize(email), customerId);
    }
}
