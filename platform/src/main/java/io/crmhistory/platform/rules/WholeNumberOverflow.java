package io.crmhistory.platform.rules;

import org.springframework.core.convert.TypeDescriptor;
import org.springframework.expression.spel.ExpressionState;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.OpAnd;
import org.springframework.expression.spel.ast.OpDivide;
import org.springframework.expression.spel.ast.OpMinus;
import org.springframework.expression.spel.ast.OpMultiply;
import org.springframework.expression.spel.ast.OpOr;
import org.springframework.expression.spel.ast.OpPlus;

import java.math.BigInteger;

/**
 * Finds whole-number arithmetic in an evaluated condition that went past its type's range. Spring's expression
 * language computes with Java's {@code int} and {@code long}, which wrap around without a word: {@code r * 1000000000}
 * is negative for a customer with {@code r} 3, so a condition could hold for the wrong customers. A condition that
 * overflows for a customer cannot be evaluated for them, like one that divides by zero.
 * <p>
 * The walk follows the evaluation: the right side of {@code and}/{@code or} only when the left did not decide, so an
 * overflow the condition guards against ({@code r < 3 or r * 1000000000 > 0}) is none. It reads each operation's
 * operands again, so it runs only for conditions that compute ({@link #computes}), after their evaluation succeeded.
 * The types promote as the language promotes them: {@code long} if either operand is one, else {@code int}.
 */
final class WholeNumberOverflow {

    private WholeNumberOverflow() {
    }

    /** Whether the condition has an operation that can overflow when its operands are whole numbers: + - * /. */
    static boolean computes(SpelNode node) {
        if (isArithmetic(node)) {
            return true;
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            if (computes(node.getChild(i))) {
                return true;
            }
        }
        return false;
    }

    /** @throws ArithmeticException naming the operation that overflowed, as this customer's inputs evaluate it */
    static void check(SpelNode node, ExpressionState state) {
        if (!computes(node)) {
            return; // nothing below to re-read: the and/or chains around a single computation stay unevaluated
        }
        if (node instanceof OpAnd || node instanceof OpOr) {
            check(node.getChild(0), state);
            if (!computes(node.getChild(1))) {
                return;
            }
            // As the language decides: its and/or convert their left side to a boolean ('yes' is true).
            Object left = state.convertValue(node.getChild(0).getTypedValue(state), TypeDescriptor.valueOf(Boolean.class));
            boolean decided = Boolean.valueOf(node instanceof OpOr).equals(left);
            if (!decided) {
                check(node.getChild(1), state);
            }
            return;
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            check(node.getChild(i), state);
        }
        if (isArithmetic(node)) {
            Object left = node.getChild(0).getValue(state);
            Object right = node.getChildCount() > 1 ? node.getChild(1).getValue(state) : null;
            if (isWhole(left) && (node.getChildCount() == 1 || isWhole(right))) {
                requireInRange(node, left, right);
            }
        }
    }

    /** + - * /, but not a negative number written ({@code -250}): negating a literal never overflows. */
    private static boolean isArithmetic(SpelNode node) {
        if (node instanceof OpMinus minus && minus.isNegativeNumberLiteral()) {
            return false;
        }
        return node instanceof OpPlus || node instanceof OpMinus || node instanceof OpMultiply || node instanceof OpDivide;
    }

    /** Refuses a result past the type the language computes it in: {@code long} if an operand is one, else {@code int}. */
    private static void requireInRange(SpelNode operation, Object left, Object right) {
        BigInteger exact = exactly(operation, left, right);
        boolean asLong = left instanceof Long || right instanceof Long;
        BigInteger max = BigInteger.valueOf(asLong ? Long.MAX_VALUE : Integer.MAX_VALUE);
        BigInteger min = BigInteger.valueOf(asLong ? Long.MIN_VALUE : Integer.MIN_VALUE);
        if (exact != null && (exact.compareTo(max) > 0 || exact.compareTo(min) < 0)) {
            throw new ArithmeticException("'" + operation.toStringAST() + "' is " + exact + ", outside the "
                    + (asLong ? "whole numbers a condition computes with (" + min + " to " + max + ")"
                    : "int it is computed in (" + min + " to " + max + "); a number written with L (1000L) makes it "
                    + "a long"));
        }
    }

    /** The operation's exact result on whole numbers; null for a division by zero (the language refused it already). */
    private static BigInteger exactly(SpelNode operation, Object left, Object right) {
        BigInteger a = BigInteger.valueOf(((Number) left).longValue());
        if (operation.getChildCount() == 1) {
            return operation instanceof OpMinus ? a.negate() : a;
        }
        BigInteger b = BigInteger.valueOf(((Number) right).longValue());
        if (operation instanceof OpPlus) {
            return a.add(b);
        }
        if (operation instanceof OpMinus) {
            return a.subtract(b);
        }
        if (operation instanceof OpMultiply) {
            return a.multiply(b);
        }
        return b.signum() == 0 ? null : a.divide(b);
    }

    /** The whole-number types the language computes with in int or long (BigInteger never overflows). */
    private static boolean isWhole(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
    }
}
