package io.crmhistory.query.prediction;

import static org.hipparchus.special.Gamma.logGamma;

/**
 * The BG/NBD model of repeat purchases (Fader, Hardie and Lee, "Counting Your Customers the Easy Way",
 * Marketing Science 24(2), 2005): while alive a customer buys at a Poisson rate drawn from Gamma(r, alpha);
 * after each purchase they drop out with a probability drawn from Beta(a, b). Time is in weeks.
 * Everything is computed in log space, the equations numbered as in the paper.
 */
public record BgNbd(double r, double alpha, double a, double b) {

    public BgNbd {
        if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) {
            throw new IllegalArgumentException("BG/NBD parameters must be positive: r=" + r + ", alpha=" + alpha
                    + ", a=" + a + ", b=" + b);
        }
    }

    /** The individual log-likelihood (equation 6). */
    public double logLikelihood(PurchaseSummary s) {
        double x = s.x();
        double common = logGamma(r + x) - logGamma(r) + r * Math.log(alpha)
                + logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
        double alive = -(r + x) * Math.log(alpha + s.t());
        if (s.x() == 0) {
            return common + alive;
        }
        double droppedOut = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + s.tx());
        return common + logSumExp(alive, droppedOut);
    }

    /**
     * P(alive | x, t_x, T) (equation 11 of the note "Computing P(alive) using the BG/NBD model"): 1 for a
     * customer without repeat purchases, since under BG/NBD a customer can only drop out right after a purchase.
     */
    public double probabilityAlive(PurchaseSummary s) {
        if (s.x() == 0) {
            return 1;
        }
        return 1 / (1 + Math.exp(oddsOfDroppedOut(s)));
    }

    /** E[Y(t) | x, t_x, T], the expected purchases in the next {@code weeks} (equation 10). */
    public double expectedPurchases(double weeks, PurchaseSummary s) {
        if (weeks < 0) {
            throw new IllegalArgumentException("the horizon must not be negative: " + weeks);
        }
        if (weeks == 0) {
            return 0;
        }
        double x = s.x();
        double z = weeks / (alpha + s.t() + weeks);
        double c = a + b + x - 1;
        double logOneMinusZ = Math.log((alpha + s.t()) / (alpha + s.t() + weeks));
        double numerator;
        if (c == 0) {
            // a + b = 1 and no repeat purchase: 2F1 has a pole at c = 0, but c * 2F1(A, B; c; z) tends to
            // A * B * z * 2F1(A + 1, B + 1; 2; z), so the product (equation 10's factor c times 1 - power * 2F1) is finite
            double power = Math.exp((r + x) * logOneMinusZ);
            double cTimesHyper = (r + x) * (b + x) * z * Hypergeometric.f21(r + x + 1, b + x + 1, 2, z);
            numerator = -power * cTimesHyper / (a - 1);
        } else {
            // Equation 10's (1 - z)^(r + x) * 2F1(r + x, b + x; c; z), by Euler's transformation
            // (1 - z)^(a - 1) * 2F1(a + b - 1 - r, a - 1; c; z): the same number, but the untransformed factors of a
            // frequent buyer over a long horizon are 0 and infinity in double precision (their product NaN).
            double powerTimesHyper = Math.exp((a - 1) * logOneMinusZ) * Hypergeometric.f21(a + b - 1 - r, a - 1, c, z);
            numerator = c / (a - 1) * (1 - powerTimesHyper);
        }
        double denominator = s.x() == 0 ? 1 : 1 + Math.exp(oddsOfDroppedOut(s));
        return Math.max(0, numerator / denominator);
    }

    /** log( a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x) ), for x > 0. */
    private double oddsOfDroppedOut(PurchaseSummary s) {
        double x = s.x();
        return Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log((alpha + s.t()) / (alpha + s.tx()));
    }

    static double logSumExp(double u, double v) {
        double max = Math.max(u, v);
        return max + Math.log(Math.exp(u - max) + Math.exp(v - max));
    }
}
