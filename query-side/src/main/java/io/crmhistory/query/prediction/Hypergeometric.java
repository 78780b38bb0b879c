package io.crmhistory.query.prediction;

/**
 * The Gaussian hypergeometric function 2F1(a, b; c; z) for the arguments the BG/NBD expectation needs:
 * c not zero or a negative integer, and 0 <= z < 1, where the power series converges (a or b a negative integer
 * ends it: a polynomial). Its terms are summed as ratios of
 * consecutive terms (no factorials or Pochhammer symbols, which overflow), until a term no longer changes
 * the sum in double precision; a series that has not converged within {@link #MAX_TERMS} terms (z very close
 * to 1) is an error, not a silently wrong number.
 */
public final class Hypergeometric {

    /** Enough for z up to about 1 - 1e-5 with the parameters seen in practice. */
    static final int MAX_TERMS = 1_000_000;

    private Hypergeometric() {
    }

    public static double f21(double a, double b, double c, double z) {
        boolean cIsAPole = c <= 0 && c == Math.rint(c);
        if (!Double.isFinite(a) || !Double.isFinite(b) || cIsAPole || !(z >= 0 && z < 1)) {
            throw new IllegalArgumentException("2F1 is computed for finite a, b, c not 0, -1, -2, ... and 0 <= z < 1, not a="
                    + a + ", b=" + b
                    + ", c=" + c + ", z=" + z);
        }
        double term = 1;
        double sum = 1;
        for (int k = 0; k < MAX_TERMS; k++) {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            double next = sum + term;
            if (next == sum) {
                return sum;
            }
            sum = next;
        }
        throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") did not converge in "
                + MAX_TERMS + " terms");
    }
}
