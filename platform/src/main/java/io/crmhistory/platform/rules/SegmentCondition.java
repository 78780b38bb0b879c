package io.crmhistory.platform.rules;

import java.util.Map;
import java.util.Set;

/** A compiled segment condition: thread-safe, compiled once, evaluated for every customer. */
public interface SegmentCondition {

    /** The expression as written. */
    String expression();

    /** The variables the expression reads. */
    Set<String> variables();

    /**
     * @param variables the customer's inputs by name ({@code r}, {@code f}, {@code m}, {@code status}, ...);
     *                  a variable that is absent (e.g. {@code pAlive} before a value model is fitted) is null,
     *                  and null compares below every number
     * @return whether the customer meets the condition; a non-boolean or null result is {@code false}
     */
    boolean test(Map<String, ?> variables);
}
