package io.crmhistory.query.prediction;

import org.springframework.data.annotation.Id;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One fitted version of the value forecast: both models with their log-likelihoods and how many customers they
 * were fitted on, the calibration end, the default horizon, and who fitted it when.
 */
public record ValueModelVersion(@Id int version,
                                BgNbd bgNbd,
                                double bgNbdLogLikelihood,
                                int customers,
                                GammaGamma gammaGamma,
                                double gammaGammaLogLikelihood,
                                int repeatCustomers,
                                LocalDate calibrationEnd,
                                int horizonWeeks,
                                String baseCurrency,
                                String fittedBy,
                                Instant fittedAt) {
}
