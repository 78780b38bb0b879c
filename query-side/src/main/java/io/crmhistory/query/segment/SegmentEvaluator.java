package io.crmhistory.query.segment;

import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.platform.rules.SegmentCondition;
import io.crmhistory.platform.rules.SegmentExpressions;
import io.crmhistory.platform.rules.SegmentInputs;
import io.crmhistory.query.projection.FxRates;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One version of the segmentation rules, compiled once (SPEC section 6). Pure: the same state, rules,
 * forecaster and instant always give the same assessment. A condition that reads {@code pAlive} or
 * {@code predictedRevenue} does not hold while that figure is unknown (no value model fitted; {@code pAlive}
 * also before a customer's first purchase), so such a rule never catches customers by default; nor does a condition
 * that cannot be evaluated for a customer ({@link #holds}).
 */
public final class SegmentEvaluator {

    /**
     * Evaluations of a condition that failed for a customer (counted as not holding), tagged {@code ruleVersion} and
     * {@code segment}. Registered in Micrometer's global registry, to which Spring Boot adds the application's.
     */
    public static final String CONDITION_FAILURES = "crm.segments.condition.failures";
    private static final Logger log = LoggerFactory.getLogger(SegmentEvaluator.class);

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
    /** Per condition, whether its first failure has been logged. */
    private final AtomicBoolean[] failureLogged;

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
        this.failureLogged = new AtomicBoolean[conditions.size()];
        Arrays.setAll(failureLogged, i -> new AtomicBoolean());
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
            if (!unknownInput && holds(i, state.id(), variables)) {
                String name = rules.segments().get(i).name();
                return new SegmentAssessment(name, version, name, r, f, m, netRevenue, days, contacts90d, now);
            }
        }
        return new SegmentAssessment(rules.fallback(), version, SegmentAssessment.FALLBACK, r, f, m, netRevenue, days,
                contacts90d, now);
    }

    /**
     * Whether condition {@code index} holds for the customer. One that cannot be evaluated for this customer (a
     * division by zero, arithmetic on a null input, a whole number past its type: the trials before publishing try
     * only five customers at the edges) does not hold for it, as one whose forecast input is unknown, and the next rule
     * is tried: thrown, one customer's figures failed the event for that customer's segment, its history and its
     * audited state, and stopped a re-evaluation run at that customer's page for every later customer and every later
     * rule version. Counted in {@value #CONDITION_FAILURES} and logged once per condition and version.
     */
    private boolean holds(int index, String customerId, Map<String, Object> variables) {
        try {
            return conditions.get(index).test(variables);
        } catch (IllegalArgumentException e) {
            String segment = rules.segments().get(index).name();
            Metrics.counter(CONDITION_FAILURES, "ruleVersion", String.valueOf(version), "segment", segment).increment();
            if (failureLogged[index].compareAndSet(false, true)) {
                log.warn("The condition of segment {} in rule version {} cannot be evaluated for customer {} ({}): it "
                                + "does not hold for such customers; later failures are counted in {}, not logged",
                        segment, version, customerId, e.getMessage(), CONDITION_FAILURES);
            }
            return false;
        }
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
