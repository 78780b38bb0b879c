package io.crmhistory.query.prediction;

import static org.hipparchus.special.Gamma.logGamma;

/**
 * The Gamma-Gamma model of spend per transaction (Fader, Hardie and Lee, "RFM and CLV: Using Iso-Value Curves
 * for Customer Base Analysis", JMR 2005; Fader and Hardie, "The Gamma-Gamma Model of Monetary Value", 2013):
 * a customer's transaction values are Gamma(p, nu) around their mean, and nu varies across customers as
 * Gamma(q, gamma). Fitted on customers with repeat transactions (x > 0) and their mean repeat value zbar.
 */
public record GammaGamma(double p, double q, double gamma) {

    public GammaGamma {
        if (!(p > 0 && q > 1 && gamma > 0)) {
            throw new IllegalArgumentException("Gamma-Gamma needs p > 0, q > 1 (a finite mean) and gamma > 0: p=" + p
                    + ", q=" + q + ", gamma=" + gamma);
        }
    }

    /** The log-likelihood of a customer's x repeat transactions with mean value zbar (x > 0, zbar > 0). */
    public double logLikelihood(PurchaseSummary s) {
        double x = s.x();
        double m = s.zbar();
        return logGamma(p * x + q) - logGamma(p * x) - logGamma(q) + q * Math.log(gamma)
                + (p * x - 1) * Math.log(m) + p * x * Math.log(x) - (p * x + q) * Math.log(gamma + m * x);
    }

    /** The mean transaction value of the population, p * gamma / (q - 1). */
    public double populationMean() {
        return p * gamma / (q - 1);
    }

    /**
     * E[M | x, zbar]: a weighted average of the population mean and the customer's own mean, the weight of the
     * latter growing with their repeat transactions; the population mean without any.
     */
    public double expectedOrderValue(PurchaseSummary s) {
        if (s.x() == 0) {
            return populationMean();
        }
        double x = s.x();
        return (gamma + s.zbar() * x) * p / (p * x + q - 1);
    }
}
