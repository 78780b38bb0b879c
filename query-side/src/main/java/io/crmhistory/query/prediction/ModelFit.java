package io.crmhistory.query.prediction;

import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleValueChecker;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Maximum-likelihood fits of {@link BgNbd} and {@link GammaGamma} with Hipparchus' Nelder-Mead simplex, over the
 * logarithms of the parameters (so every step stays in the valid domain), restarted from the optimum until it no
 * longer moves (a single simplex run can stop early on these flat likelihoods).
 */
public final class ModelFit {

    /** Fewer customers than this cannot identify four parameters in any useful way. */
    public static final int MIN_CUSTOMERS = 20;
    /** Customers with repeat purchases Gamma-Gamma needs. */
    public static final int MIN_REPEAT_CUSTOMERS = 10;

    private static final int MAX_EVALUATIONS = 40_000;
    private static final int MAX_RESTARTS = 10;

    /** A fitted model and the total log-likelihood it reached. */
    public record Fitted<M>(M model, double logLikelihood, int customers) {
    }

    private ModelFit() {
    }

    /** @throws FitException when there are too few customers or the optimisation does not converge */
    public static Fitted<BgNbd> bgNbd(List<PurchaseSummary> summaries) {
        if (summaries.size() < MIN_CUSTOMERS) {
            throw new FitException("BG/NBD needs at least " + MIN_CUSTOMERS + " customers with a purchase, not "
                    + summaries.size());
        }
        Function<double[], BgNbd> model = log -> new BgNbd(Math.exp(log[0]), Math.exp(log[1]), Math.exp(log[2]),
                Math.exp(log[3]));
        return fit("BG/NBD", summaries, model, BgNbd::logLikelihood, new double[] {0, 0, 0, 0});
    }

    /** Fitted over the customers with repeat purchases (x > 0) only, as the model requires. */
    public static Fitted<GammaGamma> gammaGamma(List<PurchaseSummary> summaries) {
        List<PurchaseSummary> repeaters = summaries.stream().filter(s -> s.x() > 0 && s.zbar() > 0).toList();
        if (repeaters.size() < MIN_REPEAT_CUSTOMERS) {
            throw new FitException("Gamma-Gamma needs at least " + MIN_REPEAT_CUSTOMERS
                    + " customers with repeat purchases, not " + repeaters.size());
        }
        // q = 1 + exp(..) keeps the mean spend finite.
        Function<double[], GammaGamma> model = log -> new GammaGamma(Math.exp(log[0]), 1 + Math.exp(log[1]),
                Math.exp(log[2]));
        return fit("Gamma-Gamma", repeaters, model, GammaGamma::logLikelihood, new double[] {0, 0, 0});
    }

    private static <M> Fitted<M> fit(String name, List<PurchaseSummary> summaries, Function<double[], M> model,
                                     LogLikelihood<M> likelihood, double[] start) {
        ToDoubleFunction<double[]> total = point -> {
            M candidate;
            try {
                candidate = model.apply(point);
            } catch (IllegalArgumentException outOfDomain) {
                return Double.NEGATIVE_INFINITY;
            }
            double sum = 0;
            for (PurchaseSummary summary : summaries) {
                sum += likelihood.of(candidate, summary);
            }
            return Double.isNaN(sum) ? Double.NEGATIVE_INFINITY : sum;
        };
        SimplexOptimizer optimizer = new SimplexOptimizer(new SimpleValueChecker(1e-12, 1e-9));
        double[] point = start;
        double best = Double.NEGATIVE_INFINITY;
        try {
            for (int restart = 0; restart < MAX_RESTARTS; restart++) {
                PointValuePair optimum = optimizer.optimize(new MaxEval(MAX_EVALUATIONS),
                        new ObjectiveFunction(total::applyAsDouble), GoalType.MAXIMIZE, new InitialGuess(point),
                        new NelderMeadSimplex(point.length, 0.5));
                boolean settled = optimum.getValue() - best < 1e-7;
                point = optimum.getPoint();
                best = optimum.getValue();
                if (settled) {
                    return new Fitted<>(model.apply(point), best, summaries.size());
                }
            }
        } catch (MathIllegalStateException e) {
            throw new FitException(name + " did not converge: " + e.getMessage());
        }
        throw new FitException(name + " did not settle after " + MAX_RESTARTS + " restarts (log-likelihood " + best + ")");
    }

    private interface LogLikelihood<M> {
        double of(M model, PurchaseSummary summary);
    }

    /** A fit that cannot be made: too few customers, or no convergence. The current model stays. */
    public static final class FitException extends RuntimeException {
        public FitException(String message) {
            super(message);
        }
    }
}
