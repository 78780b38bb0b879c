package io.crmhistory.query.directory;

import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.query.web.Cursors;
import org.bson.types.Decimal128;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Date;
import java.util.function.Function;

/** A listing order: one field, ascending or descending ({@code -} prefix), ties broken by customer id. */
record CustomerSort(Field field, boolean descending) {

    static final CustomerSort DEFAULT = new CustomerSort(Field.NAME, false);
    /** The query value of a cursor that ends on an entry without the sort field, and its cursor value. */
    static final Object MISSING = new Object();
    private static final String NO_VALUE = "-";
    private static final int DECIMAL128_MIN_EXPONENT = -6176;
    private static final int DECIMAL128_MAX_EXPONENT = 6111;

    enum Field {
        NET_REVENUE("netRevenue", "netRevenue", state -> state.netRevenue().toPlainString(),
                CustomerSort::decimal),
        LAST_PURCHASE_AT("lastPurchaseAt", "lastPurchaseSort", state -> state.lastPurchaseSort().toString(),
                value -> Date.from(Cursors.instant(value))),
        /** Absent where the directory never applied the registration (ops dropped its dead letter): cursor "-". */
        REGISTERED_AT("registeredAt", "registeredAt",
                state -> state.registeredAt() == null ? NO_VALUE : state.registeredAt().toString(),
                value -> NO_VALUE.equals(value) ? MISSING : Date.from(Cursors.instant(value))),
        NAME("name", "nameKey", DirectoryState::nameKey, value -> value),
        PREDICTED_REVENUE("predictedRevenue", "predictedRevenue", state -> state.predictedRevenue().toPlainString(),
                CustomerSort::decimal);

        private final String parameter;
        private final String documentField;
        private final Function<DirectoryState, String> cursorValue;
        private final Function<String, Object> queryValue;

        Field(String parameter, String documentField, Function<DirectoryState, String> cursorValue,
              Function<String, Object> queryValue) {
            this.parameter = parameter;
            this.documentField = documentField;
            this.cursorValue = cursorValue;
            this.queryValue = queryValue;
        }

        String documentField() {
            return documentField;
        }

        boolean mayBeMissing() {
            return this == REGISTERED_AT;
        }
    }

    static CustomerSort parse(String sort) {
        if (sort == null || sort.isBlank()) {
            return DEFAULT;
        }
        String trimmed = sort.trim();
        boolean descending = trimmed.startsWith("-");
        String name = descending ? trimmed.substring(1) : trimmed;
        return Arrays.stream(Field.values()).filter(field -> field.parameter.equals(name)).findFirst()
                .map(field -> new CustomerSort(field, descending))
                .orElseThrow(() -> new ClientInputException("sort", "'" + sort + "' is not one of netRevenue, "
                        + "lastPurchaseAt, registeredAt, name, predictedRevenue (prefix - for descending)"));
    }

    /** What cursors issued for this order carry, so a cursor of another order is refused. */
    String ordering() {
        return (descending ? "-" : "") + field.parameter;
    }

    String cursorValue(DirectoryState state) {
        return field.cursorValue.apply(state);
    }

    /**
     * A decimal cursor value as MongoDB stores it (34 digits, exponent -6176 to 6111). Checked here: the driver's
     * {@link Decimal128} refuses one outside with an {@link AssertionError}, not an exception.
     */
    private static Decimal128 decimal(String value) {
        BigDecimal decimal = new BigDecimal(value, MathContext.DECIMAL128);
        if (-decimal.scale() < DECIMAL128_MIN_EXPONENT || -decimal.scale() > DECIMAL128_MAX_EXPONENT) {
            throw new NumberFormatException("outside what Decimal128 holds: " + value);
        }
        return new Decimal128(decimal);
    }

    /** The cursor's sort value as stored in the document; a malformed one is a client error. */
    Object queryValue(String cursorValue) {
        try {
            return field.queryValue.apply(cursorValue);
        } catch (RuntimeException e) {
            throw new ClientInputException("cursor", "is not a cursor issued by this listing; pass the nextCursor "
                    + "of the previous page unchanged");
        }
    }
}
