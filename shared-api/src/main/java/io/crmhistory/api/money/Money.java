package io.crmhistory.api.money;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount of money in one ISO 4217 currency. The value is a {@link BigDecimal} and travels as a
 * decimal string ({@code {"value": "149.90", "currency": "EUR"}}) so that no binary floating point
 * ever touches a money path.
 * <p>
 * The record itself does not validate: events must always deserialize, whatever was valid when
 * they were written. Input validation lives in {@link MoneyRules}.
 */
public record Money(@JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal value, String currency) {

    /**
     * Digits an amount written with a positive exponent may have for it to be written out plainly: far above any
     * amount {@link MoneyRules} accepts, and far below {@code 1E+999999999}, whose plain form is a billion digits.
     */
    private static final int MAX_PLAIN_DIGITS = 40;

    public Money {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(currency, "currency");
        // 1E+2 (a client that strips trailing zeros sends 100.00 so) is kept as 100: an amount is a plain decimal
        // string wherever it is stored or shown. Larger ones stay as written, for MoneyRules to refuse.
        if (value.scale() < 0 && MoneyRules.integerDigits(value) <= MAX_PLAIN_DIGITS) {
            value = value.setScale(0);
        }
    }

    public static Money of(String value, String currency) {
        return new Money(new BigDecimal(value), currency);
    }

    public static Money zero(String currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    public boolean sameCurrencyAs(Money other) {
        return currency.equals(other.currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(value.add(other.value), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(value.subtract(other.value), currency);
    }

    public Money times(long factor) {
        return new Money(value.multiply(BigDecimal.valueOf(factor)), currency);
    }

    public boolean isNegative() {
        return value.signum() < 0;
    }

    public boolean isPositive() {
        return value.signum() > 0;
    }

    /** Compares by numeric value, so {@code 10.0 EUR} exceeds {@code 9.99 EUR}; currencies must match. */
    public int compareAmount(Money other) {
        requireSameCurrency(other);
        return value.compareTo(other.value);
    }

    /** Equal amounts regardless of scale: {@code 10.0} and {@code 10.00} are the same money. */
    public boolean sameAmountAs(Money other) {
        return other != null && currency.equals(other.currency) && value.compareTo(other.value) == 0;
    }

    private void requireSameCurrency(Money other) {
        if (!sameCurrencyAs(other)) {
            throw new IllegalArgumentException("currency mismatch: " + currency + " vs " + other.currency);
        }
    }

    @Override
    public String toString() {
        return value.toPlainString() + " " + currency;
    }
}
