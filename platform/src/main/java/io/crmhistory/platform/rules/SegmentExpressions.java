package io.crmhistory.platform.rules;

import org.springframework.expression.AccessException;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.ParseException;
import org.springframework.expression.PropertyAccessor;
import org.springframework.expression.TypedValue;
import org.springframework.expression.spel.ExpressionState;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.BooleanLiteral;
import org.springframework.expression.spel.ast.FloatLiteral;
import org.springframework.expression.spel.ast.IntLiteral;
import org.springframework.expression.spel.ast.Literal;
import org.springframework.expression.spel.ast.LongLiteral;
import org.springframework.expression.spel.ast.NullLiteral;
import org.springframework.expression.spel.ast.OpAnd;
import org.springframework.expression.spel.ast.OpDivide;
import org.springframework.expression.spel.ast.OpEQ;
import org.springframework.expression.spel.ast.OpGE;
import org.springframework.expression.spel.ast.OpGT;
import org.springframework.expression.spel.ast.OpLE;
import org.springframework.expression.spel.ast.OpLT;
import org.springframework.expression.spel.ast.OpMinus;
import org.springframework.expression.spel.ast.OpModulus;
import org.springframework.expression.spel.ast.OpMultiply;
import org.springframework.expression.spel.ast.OpNE;
import org.springframework.expression.spel.ast.OpOr;
import org.springframework.expression.spel.ast.OpPlus;
import org.springframework.expression.spel.ast.OperatorNot;
import org.springframework.expression.spel.ast.PropertyOrFieldReference;
import org.springframework.expression.spel.ast.RealLiteral;
import org.springframework.expression.spel.ast.StringLiteral;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

import java.util.Map;
import java.util.Set;

/**
 * Compiles the {@code when} conditions of segmentation rules (SPEC section 6) into
 * {@link SegmentCondition}s, in a sandbox: Spring's expression language parses them, then an AST
 * walk admits only literals, the known customer variables, comparison, logical and arithmetic
 * operators and parentheses. Types ({@code T(...)}), constructors, method calls, bean and variable
 * references ({@code @x}, {@code #root}, {@code #this}), property navigation, indexing,
 * selection/projection, assignments and everything else are refused at compile time, with the reason.
 * Evaluation then runs in a {@link SimpleEvaluationContext} that can only read the variables map,
 * so even a node that slipped through could not reach a type, a method or a bean.
 */
public final class SegmentExpressions {

    /** The inputs a condition may use. */
    public static final Set<String> VARIABLES = Set.of(
            "r", "f", "m", "status", "orders", "netRevenue", "daysSinceLastPurchase", "contacts90d",
            "pAlive", "predictedRevenue");

    /** Long enough for any sensible condition; bounds parse time for hostile input. */
    static final int MAX_LENGTH = 500;

    private static final Set<Class<? extends SpelNode>> ALLOWED_NODES = Set.of(
            OpAnd.class, OpOr.class, OperatorNot.class,
            OpEQ.class, OpNE.class, OpLT.class, OpLE.class, OpGT.class, OpGE.class,
            OpPlus.class, OpMinus.class, OpMultiply.class, OpDivide.class, OpModulus.class,
            IntLiteral.class, LongLiteral.class, RealLiteral.class, FloatLiteral.class,
            StringLiteral.class, BooleanLiteral.class, NullLiteral.class,
            PropertyOrFieldReference.class);

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();
    private static final EvaluationContext CONTEXT = SimpleEvaluationContext
            .forPropertyAccessors(new VariablesAccessor())
            .build();

    private SegmentExpressions() {
    }

    /**
     * @param field where the expression came from, for the error (e.g. {@code segments[2].when})
     * @throws InvalidRuleException naming {@code field} when the expression is blank, does not parse,
     *                              or uses anything outside the sandbox
     */
    public static SegmentCondition compile(String field, String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidRuleException(field, "a condition is required");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new InvalidRuleException(field, "a condition has at most " + MAX_LENGTH + " characters");
        }
        SpelExpression parsed;
        try {
            parsed = PARSER.parseRaw(expression);
        } catch (ParseException | IllegalStateException e) {
            throw new InvalidRuleException(field, "does not parse: " + e.getMessage());
        }
        check(field, parsed.getAST());
        Set<String> variables = new java.util.TreeSet<>();
        collectVariables(parsed.getAST(), variables);
        return new CompiledCondition(expression, parsed, Set.copyOf(variables),
                WholeNumberOverflow.computes(parsed.getAST()));
    }

    /** {@link #compile(String, String)} with the field named {@code when}. */
    public static SegmentCondition compile(String expression) {
        return compile("when", expression);
    }

    /**
     * Evaluates a compiled condition and returns what it gives, whatever its type, so a rule set can be tried before
     * it is published ({@link SegmentationRuleSetValidator}).
     *
     * @throws IllegalArgumentException when the evaluation fails (incomparable types, arithmetic on a null input,
     *                                  division by zero, a whole number overflowing)
     */
    static Object evaluate(SegmentCondition condition, Map<String, ?> variables) {
        if (!(condition instanceof CompiledCondition compiledCondition)) {
            throw new IllegalArgumentException("not a compiled condition: " + condition);
        }
        try {
            return compiledCondition.value(variables, Object.class);
        } catch (EvaluationException | ArithmeticException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The most and the least (but zero) a number written in a condition may be in size: every figure fits between. */
    static final double MAX_NUMBER = 1e18;
    static final double MIN_NUMBER = 1e-18;

    /**
     * Refuses numbers written in the condition that no figure of a customer comes near: with {@code 1e-323} multiplied
     * in a few dozen times, a condition of 500 characters computed a decimal of twenty thousand digits for every
     * customer at every assessment (a read-only review, session 59); an infinite one ({@code 1e999}) compares
     * surprisingly. For publications only ({@link SegmentationRuleSetValidator}): {@link #compile} still compiles every
     * condition published before, which the read side compiles again from the rule book's stream.
     *
     * @throws InvalidRuleException naming {@code field}
     */
    static void checkNumbers(String field, SegmentCondition condition) {
        if (condition instanceof CompiledCondition compiledCondition) {
            checkNumbers(field, compiledCondition.compiled().getAST());
        }
    }

    private static void checkNumbers(String field, SpelNode node) {
        if (node instanceof Literal literal && literal.getLiteralValue().getValue() instanceof Number number) {
            double size = Math.abs(number.doubleValue());
            if (!Double.isFinite(size) || size > MAX_NUMBER || (size != 0 && size < MIN_NUMBER)) {
                throw new InvalidRuleException(field, "'" + literal.toStringAST() + "' is no number a condition can "
                        + "use: numbers are 0 or between 1e-18 and 1e18 in size");
            }
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            checkNumbers(field, node.getChild(i));
        }
    }

    private static void check(String field, SpelNode node) {
        if (!ALLOWED_NODES.contains(node.getClass())) {
            throw new InvalidRuleException(field, "'" + node.toStringAST() + "' is not allowed: conditions may use only "
                    + "numbers, 'strings', true/false/null, the variables " + sortedVariables()
                    + ", comparisons (== != < <= > >=), and/or/not, + - * / % and parentheses");
        }
        if (node instanceof PropertyOrFieldReference reference && !VARIABLES.contains(reference.getName())) {
            throw new InvalidRuleException(field, "unknown variable '" + reference.getName() + "'; known: "
                    + sortedVariables());
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            check(field, node.getChild(i));
        }
    }

    private static void collectVariables(SpelNode node, Set<String> variables) {
        if (node instanceof PropertyOrFieldReference reference) {
            variables.add(reference.getName());
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            collectVariables(node.getChild(i), variables);
        }
    }

    private static String sortedVariables() {
        return String.join(", ", VARIABLES.stream().sorted().toList());
    }

    /** @param computes whether it has whole-number arithmetic, checked for overflow ({@link WholeNumberOverflow}) */
    private record CompiledCondition(String expression, SpelExpression compiled, Set<String> variables,
                                     boolean computes) implements SegmentCondition {

        @Override
        public boolean test(Map<String, ?> variables) {
            try {
                return Boolean.TRUE.equals(value(variables, Boolean.class));
            } catch (EvaluationException | ArithmeticException e) {
                throw new IllegalArgumentException("cannot evaluate '" + expression + "': " + e.getMessage(), e);
            }
        }

        /** What the condition gives, as {@code type} ({@code Object} for whatever it gives). */
        <T> T value(Map<String, ?> variables, Class<T> type) {
            T value = compiled.getValue(CONTEXT, variables, type);
            if (computes) {
                WholeNumberOverflow.check(compiled.getAST(), new ExpressionState(CONTEXT, new TypedValue(variables)));
            }
            return value;
        }
    }

    /** Reads the whitelisted variables from the map given as root object; nothing else, never writes. */
    private static final class VariablesAccessor implements PropertyAccessor {

        @Override
        public Class<?>[] getSpecificTargetClasses() {
            return new Class<?>[]{Map.class};
        }

        @Override
        public boolean canRead(EvaluationContext context, Object target, String name) {
            return target instanceof Map<?, ?> && VARIABLES.contains(name);
        }

        @Override
        public TypedValue read(EvaluationContext context, Object target, String name) throws AccessException {
            if (!(target instanceof Map<?, ?> map) || !VARIABLES.contains(name)) {
                throw new AccessException("unknown variable '" + name + "'");
            }
            Object value = map.get(name);
            return value == null ? TypedValue.NULL : new TypedValue(value);
        }

        @Override
        public boolean canWrite(EvaluationContext context, Object target, String name) {
            return false;
        }

        @Override
        public void write(EvaluationContext context, Object target, String name, Object newValue) throws AccessException {
            throw new AccessException("segment conditions cannot assign");
        }
    }
}
