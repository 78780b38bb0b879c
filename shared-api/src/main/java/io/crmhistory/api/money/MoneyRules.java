package io.crmhistory.api.money;

import java.util.Currency;
import java.util.Optional;

/** What makes an amount acceptable as input: a real ISO 4217 currency and no more decimals than it has. */
public final class MoneyRules {

    private MoneyRules() {
    }

    /** @return the reason the money is not acceptable, or empty when it is. */
    public static Optional<String> problemWith(Money money) {
        Currency currency;
        try {
            currency = Currency.getInstance(money.currency());
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.of("'" + money.currency() + "' is not an ISO 4217 currency code");
        }
        if (!currency.getCurrencyCode().equals(money.currency())) {
            return Optional.of("'" + money.currency() + "' is not an ISO 4217 currency code");
        }
        int minorDigits = Math.max(currency.getDefaultFractionDigits(), 0);
        if (money.value().stripTrailingZeros().scale() > minorDigits) {
            return Optional.of("at most " + minorDigits + " decimal digits are allowed for " + money.currency());
        }
        return Optional.empty();
    }
}
