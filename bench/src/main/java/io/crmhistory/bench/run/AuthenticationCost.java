package io.crmhistory.bench.run;

import org.HdrHistogram.Histogram;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.util.Map;

/**
 * What stateless HTTP Basic costs per request: both systems check the password against a bcrypt hash
 * on every request (Spring Security's {@code DaoAuthenticationProvider}). Measured here, in the bench
 * JVM on one core, for the product's default strength and for the strength the bench runs with; the
 * ingest figures exclude most of it by running with {@link ManagedProcess#BCRYPT_STRENGTH}.
 */
final class AuthenticationCost {

    private static final int CHECKS = 40;

    private AuthenticationCost() {
    }

    static void run(BenchContext context) {
        for (int strength : new int[] {10, ManagedProcess.BCRYPT_STRENGTH}) {
            BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(strength);
            String hash = encoder.encode(ManagedProcess.PASSWORD);
            encoder.matches(ManagedProcess.PASSWORD, hash);
            Histogram latencies = LoadDriver.newHistogram();
            for (int i = 0; i < CHECKS; i++) {
                long begin = System.nanoTime();
                if (!encoder.matches(ManagedProcess.PASSWORD, hash)) {
                    throw new IllegalStateException("bcrypt did not match its own hash");
                }
                latencies.recordValue((System.nanoTime() - begin) / 1000);
            }
            double perCheckSeconds = latencies.getMean() / 1e6;
            context.report().add(new ScenarioResult("bcrypt(" + strength + ") password check, per request",
                    CHECKS + " checks, one core", ReportTable.count(1 / perCheckSeconds) + " checks/s per core",
                    latencies, Map.of(), strength == 10
                            ? String.format("the product's default: caps HTTP at about %s requests/s on %d cores",
                            ReportTable.count(Runtime.getRuntime().availableProcessors() / perCheckSeconds),
                            Runtime.getRuntime().availableProcessors())
                            : "what the bench runs both systems with (--crm.security.bcrypt-strength)"));
        }
    }
}
