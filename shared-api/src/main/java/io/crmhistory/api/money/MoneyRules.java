package io.crmhistory.api.money;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Optional;

/**
 * What makes an amount acceptable as input: a real ISO 4217 currency, no more decimals than it has, and no more
 * than {@link #MAX_INTEGER_DIGITS} digits before the decimal point.
 */
public final class MoneyRules {

    /**
     * Far above any real order (a quadrillion minus one in any currency), and low enough that every figure built from
     * amounts stays cheap to compute and print: {@code 1E+999999999} is a valid decimal whose plain text is a
     * billion characters long.
     */
    public static final int MAX_INTEGER_DIGITS = 15;
    /**
     * The most decimal places an amount may be written with, trailing zeros included ({@code 12.50000} is 12.50):
     * {@code 0E-999999999} is zero, but its plain text is a billion characters long and adding it to anything needs a
     * number of a billion digits.
     */
    public static final int MAX_WRITTEN_DECIMALS = 18;

    private MoneyRules() {
    }

    /** Which part of an amount is wrong ({@code value} or {@code currency}) and why. */
    public record Problem(String part, String reason) {
    }

    /** @return the reason the money is not acceptable, or empty when it is. */
    public static Optional<Problem> problemWith(Money money) {
        Currency currency;
        try {
            currency = Currency.getInstance(money.currency());
        } catch (IllegalArgumentException | NullPointerException e) {
            return currencyProblem(money);
        }
        if (!currency.getCurrencyCode().equals(money.currency())) {
            return currencyProblem(money);
        }
        if (tooManyIntegerDigits(money.value())) {
            return Optional.of(new Problem("value", "at most " + MAX_INTEGER_DIGITS
                    + " digits are allowed before the decimal point"));
        }
        int minorDigits = Math.max(currency.getDefaultFractionDigits(), 0);
        if (money.value().scale() > MAX_WRITTEN_DECIMALS) {
            return Optional.of(new Problem("value", "at most " + MAX_WRITTEN_DECIMALS
                    + " decimal places may be written (trailing zeros included), and at most " + minorDigits
                    + " of them other than zero for " + money.currency()));
        }
        if (money.value().stripTrailingZeros().scale() > minorDigits) {
            return Optional.of(new Problem("value",
                    "at most " + minorDigits + " decimal digits are allowed for " + money.currency()));
        }
        return Optional.empty();
    }

    /**
     * Whether {@code value} has more than {@link #MAX_INTEGER_DIGITS} digits before the decimal point, however it is
     * written. Precision less scale counts them without expanding the number (0.05 gives -1); in long, as the scale of
     * 1E+2147483647 is Integer.MIN_VALUE + 1 and the difference overflowed an int to a negative.
     */
    public static boolean tooManyIntegerDigits(BigDecimal value) {
        return integerDigits(value) > MAX_INTEGER_DIGITS;
    }

    /** How many digits {@code value} has before the decimal point, however it is written, without expanding it. */
    static long integerDigits(BigDecimal value) {
        return (long) value.precision() - value.scale();
    }

    private static Optional<Problem> currencyProblem(Money money) {
        return Optional.of(new Problem("currency", "'" + money.currency() + "' is not an ISO 4217 currency code"));
    }
}
