package dev.tungate.gateway.emu;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Acceptance intervals for the statistical tests (fixed seeds: they pass or fail the same way every run). */
final class Stats {
    private Stats() { }

    /** z of a two-sided 99.9 % interval. */
    static final double Z_999 = 3.2905;

    /** Asserts {@code k} successes of {@code n} trials are inside the 99.9 % binomial interval of {@code p}. */
    static void assertBinomial(String what, long k, long n, double p) {
        double mean = n * p, sd = Math.sqrt(n * p * (1 - p));
        double lo = mean - Z_999 * sd, hi = mean + Z_999 * sd;
        System.out.printf("%s: spec %.4f%%, measured %.4f%% (%d of %d), 99.9%% interval [%.0f, %.0f]%n",
                what, 100 * p, 100.0 * k / n, k, n, lo, hi);
        assertTrue(k >= lo && k <= hi, what + ": " + k + " of " + n + " outside [" + lo + ", " + hi + "]");
    }
}
