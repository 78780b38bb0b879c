package io.crmhistory.platform.rules;

import io.crmhistory.api.money.MoneyRules;
import io.crmhistory.api.rules.SegmentationRuleSet;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What makes a segmentation rule set publishable (SPEC section 6): four strictly increasing positive
 * thresholds per score, at least one segment, unique non-blank names, a non-blank fallback, and
 * every condition compiling in the {@link SegmentExpressions} sandbox and answering true or false for the
 * {@link ConditionTrials} customers.
 */
public final class SegmentationRuleSetValidator {

    static final int THRESHOLDS = 4;
    static final int MAX_NAME_LENGTH = 64;
    /**
     * Every customer's assessment tries the conditions in order, each time a projection applies an event and for
     * every customer in a re-evaluation: a million customers times thousands of conditions would hold segmentation
     * up for hours. A hundred is far more than a segmentation anyone reads.
     */
    static final int MAX_SEGMENTS = 100;
    /**
     * Control characters (C0 and C1), the line and paragraph separators, which no firewall lets into a path, and a
     * lone surrogate, which no URL can encode.
     */
    private static final Pattern UNADDRESSABLE_IN_NAMES = Pattern.compile("[/\\\\%;\\p{Cc}\\p{Zl}\\p{Zp}\\p{Cs}]");

    private SegmentationRuleSetValidator() {
    }

    /** @throws InvalidRuleException naming the first field at fault */
    public static void validate(SegmentationRuleSet ruleSet) {
        if (ruleSet == null) {
            throw new InvalidRuleException("body", "a rule set is required");
        }
        thresholds("recencyDays", ruleSet.recencyDays() == null ? null
                : ruleSet.recencyDays().stream().map(v -> v == null ? null : BigDecimal.valueOf(v)).toList());
        thresholds("frequencyOrders", ruleSet.frequencyOrders() == null ? null
                : ruleSet.frequencyOrders().stream().map(v -> v == null ? null : BigDecimal.valueOf(v)).toList());
        thresholds("monetary", ruleSet.monetary());
        List<SegmentationRuleSet.SegmentRule> segments = ruleSet.segments();
        if (segments == null || segments.isEmpty()) {
            throw new InvalidRuleException("segments", "at least one segment is required");
        }
        if (segments.size() > MAX_SEGMENTS) {
            throw new InvalidRuleException("segments", "at most " + MAX_SEGMENTS + " segments (" + segments.size()
                    + " given)");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < segments.size(); i++) {
            SegmentationRuleSet.SegmentRule segment = segments.get(i);
            String field = "segments[" + i + "]";
            if (segment == null) {
                throw new InvalidRuleException(field, "a segment is required");
            }
            name(field + ".name", segment.name());
            if (!names.add(segment.name())) {
                throw new InvalidRuleException(field + ".name", "'" + segment.name() + "' is used by an earlier segment");
            }
            SegmentCondition condition = SegmentExpressions.compile(field + ".when", segment.when());
            SegmentExpressions.checkNumbers(field + ".when", condition);
            ConditionTrials.tryOut(field + ".when", condition);
        }
        name("fallback", ruleSet.fallback());
    }

    /**
     * A segment's name is a path segment of {@code GET /api/segments/{name}/customers} and a {@code ?segment=} filter
     * (trimmed): a name with a slash, backslash, percent sign, semicolon or control character, or one that is
     * {@code .} or {@code ..}, could be published but never asked for (the servlet container and Spring Security's
     * firewall refuse such paths, encoded or not), and one with spaces around it never matched a filter.
     */
    private static void name(String field, String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidRuleException(field, "a name is required");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidRuleException(field, "a name has at most " + MAX_NAME_LENGTH + " characters");
        }
        if (!name.equals(name.strip())) {
            throw new InvalidRuleException(field, "a name cannot begin or end with spaces");
        }
        if (UNADDRESSABLE_IN_NAMES.matcher(name).find() || name.equals(".") || name.equals("..")) {
            throw new InvalidRuleException(field, "a name cannot hold / \\ % ; control characters or line "
                    + "separators, nor be . or ..: no URL could name the segment");
        }
    }

    private static void thresholds(String field, List<BigDecimal> values) {
        if (values == null || values.size() != THRESHOLDS) {
            throw new InvalidRuleException(field, "exactly " + THRESHOLDS + " thresholds are required");
        }
        BigDecimal previous = BigDecimal.ZERO;
        for (int i = 0; i < values.size(); i++) {
            BigDecimal value = values.get(i);
            if (value == null || value.signum() <= 0) {
                throw new InvalidRuleException(field + "[" + i + "]", "thresholds must be positive");
            }
            if (MoneyRules.tooManyIntegerDigits(value)) {
                throw new InvalidRuleException(field + "[" + i + "]", "thresholds have at most "
                        + MoneyRules.MAX_INTEGER_DIGITS + " digits before the decimal point, as amounts do");
            }
            // As amounts: the read side keeps thresholds as Decimal128 (34 significant digits), which refused
            // 100.0000000000000000000000000000000001 after the command side had recorded it, stalling every later
            // publication behind it.
            if (value.scale() > MoneyRules.MAX_WRITTEN_DECIMALS) {
                throw new InvalidRuleException(field + "[" + i + "]", "thresholds have at most "
                        + MoneyRules.MAX_WRITTEN_DECIMALS + " decimal places written, as amounts do");
            }
            if (i > 0 && value.compareTo(previous) <= 0) {
                throw new InvalidRuleException(field + "[" + i + "]", "thresholds must be strictly increasing");
            }
            previous = value;
        }
    }
}
