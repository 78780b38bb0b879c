package io.crmhistory.query.web;

import io.crmhistory.api.time.StoredInstants;
import io.crmhistory.platform.web.ClientInputException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Validation of query parameters; every rejection names the parameter and the reason (answered as 400). */
public final class Parameters {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    public static final String MIN_VERSION_HEADER = "X-Min-Version";
    private static final Pattern CUSTOMER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** Why a time outside {@link StoredInstants} is refused. */
    public static final String RANGE = "must be within the years 0001 to 9999 (" + StoredInstants.EARLIEST
            + " to before " + StoredInstants.END + ")";

    private Parameters() {
    }

    public static String customerId(String customerId) {
        if (customerId == null || !CUSTOMER_ID.matcher(customerId).matches()) {
            throw new ClientInputException("customerId", "must match [A-Za-z0-9._:-]{1,64}");
        }
        return customerId;
    }

    /** {@code limit}: at least 1, capped at {@value #MAX_LIMIT} (the contract's "limits are capped"), {@value #DEFAULT_LIMIT} when absent. */
    public static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1) {
            throw new ClientInputException("limit", "must be at least 1 (larger than " + MAX_LIMIT + " is read as "
                    + MAX_LIMIT + ")");
        }
        return Math.min(limit, MAX_LIMIT);
    }

    /** The version to wait for, from the {@code minVersion} parameter and/or the {@code X-Min-Version} header. */
    public static Long minVersion(Long parameter, Long header) {
        if (parameter != null && parameter < 0) {
            throw new ClientInputException("minVersion", "must be zero or positive");
        }
        if (header != null && header < 0) {
            throw new ClientInputException(MIN_VERSION_HEADER, "must be zero or positive");
        }
        if (parameter == null) {
            return header;
        }
        return header == null ? parameter : Math.max(parameter, header);
    }

    /**
     * An ISO-8601 instant with offset ({@code 2025-06-01T09:00:00Z}, {@code 2025-06-01T11:00:00+02:00}),
     * within {@link #supported the supported years}.
     */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ClientInputException(name, "'" + value + "' is not an ISO-8601 date-time with offset, "
                    + "e.g. 2025-06-01T09:00:00Z");
        }
        if (!supported(instant)) {
            throw new ClientInputException(name, "'" + value + "' " + RANGE);
        }
        return instant;
    }

    /** Whether the instant is in the years 0001 to 9999, which every store of this side can hold. */
    public static boolean supported(Instant instant) {
        return StoredInstants.supported(instant);
    }

    /** Comma-separated enum constants (any case); unknown ones are rejected with the list of known ones. */
    public static <E extends Enum<E>> Set<E> enums(String name, String value, Class<E> type) {
        Set<E> result = new LinkedHashSet<>();
        for (String item : split(value)) {
            try {
                result.add(Enum.valueOf(type, item.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ClientInputException(name, "'" + item + "' is not one of " + List.of(type.getEnumConstants()));
            }
        }
        return result;
    }

    public static <E extends Enum<E>> E oneOf(String name, String value, Class<E> type) {
        Set<E> values = enums(name, value, type);
        if (values.size() > 1) {
            throw new ClientInputException(name, "takes a single value");
        }
        return values.isEmpty() ? null : values.iterator().next();
    }

    public static <T> T choice(String name, String value, T fallback, Function<String, T> parse, List<String> allowed) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        T parsed = parse.apply(value.trim());
        if (parsed == null) {
            throw new ClientInputException(name, "'" + value + "' is not one of " + allowed);
        }
        return parsed;
    }

    private static List<String> split(String value) {
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }
}
