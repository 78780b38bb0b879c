package io.crmhistory.query.segment;

import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.platform.rules.SegmentCondition;
import io.crmhistory.platform.rules.SegmentExpressions;
import io.crmhistory.platform.rules.SegmentInputs;
import io.crmhistory.query.projection.FxRates;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One version of the segmentation rules, compiled once (SPEC section 6). Pure: the same state, rules,
 * forecaster and instant always give the same assessment. A condition that reads {@code pAlive} or
 * {@code predictedRevenue} does not hold while that figure is unknown (no value model fitted; {@code pAlive}
 * also before a customer's first purchase), so such a rule never catches customers by default.
 */
public final class SegmentEvaluator {

    /** The window of the {@code contacts90d} input. */
    public static final Duration CONTACT_WINDOW = Duration.ofDays(90);

    private final int version;
    private final SegmentationRuleSet rules;
    private final FxRates fx;
    /** The variables that come from the value forecast rather than from the customer's events. */
    static final Set<String> FORECAST_VARIABLES = Set.of("pAlive", "predictedRevenue");

    private final List<SegmentCondition> conditions = new ArrayList<>();
    /** Per condition, the forecast figures it reads (usually none). */
    private final List<Set<String>> forecastInputs = new ArrayList<>();
    private final SegmentForecaster forecaster;
    private final boolean readsForecast;

    public SegmentEvaluator(int version, SegmentationRuleSet rules, FxRates fx) {
        this(version, rules, fx, SegmentForecaster.NONE);
    }

    public SegmentEvaluator(int version, SegmentationRuleSet rules, FxRates fx, SegmentForecaster forecaster) {
        this.version = version;
        this.rules = rules;
        this.fx = fx;
        this.forecaster = forecaster;
        for (int i = 0; i < rules.segments().size(); i++) {
            conditions.add(SegmentExpressions.compile("segments[" + i + "].when", rules.segments().get(i).when()));
        }
        for (SegmentCondition condition : conditions) {
            Set<String> inputs = new java.util.HashSet<>(condition.variables());
            inputs.retainAll(FORECAST_VARIABLES);
            forecastInputs.add(Set.copyOf(inputs));
        }
        this.readsForecast = forecastInputs.stream().anyMatch(inputs -> !inputs.isEmpty());
    }

    /** Whether a new value model can move customers under these rules. */
    public boolean readsForecast() {
        return readsForecast;
    }

    public int version() {
        return version;
    }

    public SegmentationRuleSet rules() {
        return rules;
    }

    /** Every segment a customer can be in, in rule order, the fallback last. */
    public List<String> segmentNames() {
        List<String> names = new ArrayList<>(rules.segments().stream().map(SegmentationRuleSet.SegmentRule::name).toList());
        if (!names.contains(rules.fallback())) {
            names.add(rules.fallback());
        }
        return names;
    }

    public SegmentAssessment evaluate(SegmentState state, Instant now) {
        BigDecimal netRevenue = fx.sumInBase(state.netPerCurrency());
        Long days = state.lastPurchaseAt() == null ? null
                : Math.max(0, Duration.between(state.lastPurchaseAt(), now).toDays());
        int r = recencyScore(days, rules.recencyDays());
        int f = frequencyScore(state.orders(), rules.frequencyOrders());
        int m = monetaryScore(netRevenue, rules.monetary());
        Instant windowStart = now.minus(CONTACT_WINDOW);
        long contacts90d = state.contacts().stream().filter(at -> at.isAfter(windowStart) && !at.isAfter(now)).count();

        SegmentForecaster.Figures figures = readsForecast ? forecaster.figures(state.purchases(), now) : null;
        Map<String, Object> variables = new SegmentInputs(r, f, m, state.status().name(), state.orders(), netRevenue,
                days, contacts90d, figures == null ? null : figures.pAlive(),
                figures == null ? null : figures.predictedRevenue()).variables();
        for (int i = 0; i < conditions.size(); i++) {
            boolean unknownInput = forecastInputs.get(i).stream().anyMatch(name -> variables.get(name) == null);
            if (!unknownInput && conditions.get(i).test(variables)) {
                String name = rules.segments().get(i).name();
                return new SegmentAssessment(name, version, name, r, f, m, netRevenue, days, contacts90d, now);
            }
        }
        return new SegmentAssessment(rules.fallback(), version, SegmentAssessment.FALLBACK, r, f, m, netRevenue, days,
                contacts90d, now);
    }

    /** 5 within the first threshold of days, down to 2 within the last, else 1; 0 without a purchase. */
    static int recencyScore(Long days, List<Integer> thresholds) {
        if (days == null) {
            return 0;
        }
        for (int i = 0; i < thresholds.size(); i++) {
            if (days <= thresholds.get(i)) {
                return 5 - i;
            }
        }
        return 1;
    }

    /** 0 without orders, else 1 raised by one for each threshold the order count reaches. */
    static int frequencyScore(long orders, List<Integer> thresholds) {
        if (orders <= 0) {
            return 0;
        }
        return 1 + (int) thresholds.stream().filter(threshold -> orders >= threshold).count();
    }

    /** 0 when net revenue is not positive, else 1 raised by one for each threshold it reaches. */
    static int monetaryScore(BigDecimal netRevenue, List<BigDecimal> thresholds) {
        if (netRevenue.signum() <= 0) {
            return 0;
        }
        return 1 + (int) thresholds.stream().filter(threshold -> netRevenue.compareTo(threshold) >= 0).count();
    }
}
