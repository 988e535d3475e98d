package dev.tungate.gateway.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.AbstractRealDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each delay is delay + jitter * q(u); the delays measured through a Link must follow the intended
 * distribution: a one-sample Kolmogorov-Smirnov test over 10,000 delays against a CDF written
 * here from iproute2's table generators (not from the code under test), rejected at p < 0.001.
 */
@DisplayName("netem jitter distributions: Kolmogorov-Smirnov against the intended CDF")
class JitterDistributionTest {
    private static final int N = 10_000;
    private static final double MU = 100e6, SIGMA = 10e6;   // ns

    @Test
    @DisplayName("uniform: U[delay - jitter, delay + jitter)")
    void uniform() throws SpecException {
        ks("uniform", new UniformRealDistribution(MU - SIGMA, MU + SIGMA));
    }

    @Test
    @DisplayName("normal: N(delay, jitter)")
    void normal() throws SpecException {
        ks("normal", new NormalDistribution(MU, SIGMA));
    }

    @Test
    @DisplayName("pareto: iproute2 pareto.c, a=3, ((1-u)^(-1/3) - 1.5) * 4/3 clipped at 32767/8192")
    void pareto() throws SpecException {
        ks("pareto", new Quantile() {
            @Override
            double q(double u) {
                return paretoTable(u);
            }
        });
    }

    @Test
    @DisplayName("paretonormal: iproute2 paretonormal.c, (normal(i) + 3 * pareto(i)) / 4")
    void paretonormal() throws SpecException {
        NormalDistribution std = new NormalDistribution(0, 1);
        ks("paretonormal", new Quantile() {
            @Override
            double q(double u) {
                double n = u <= 0 ? -10 : u >= 1 ? 10 : std.inverseCumulativeProbability(u);
                return (n + 3 * paretoTable(u)) / 4;
            }
        });
    }

    @Test
    @DisplayName("a wrong distribution is rejected: normal samples against the uniform CDF")
    void testHasPower() throws SpecException {
        double[] d = delays("normal");
        double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new UniformRealDistribution(MU - SIGMA, MU + SIGMA), d);
        assertTrue(p < 1e-6, "KS must tell normal from uniform, p=" + p);
    }

    private static double paretoTable(double u) {
        return Math.min((Math.pow(1 - u, -1.0 / 3) - 1.5) * 4 / 3, 32767.0 / 8192);
    }

    private static double[] delays(String dist) throws SpecException {
        LinkHarness h = LinkHarness.up("delay=100ms jitter=10ms distribution=" + dist + " seed=11");
        long gap = 1_000_000_000L;   // one packet a second: no two are held together
        for (int i = 0; i < N; i++) {
            h.send(i, 60);
            h.advanceBy(gap);
        }
        assertEquals(N, h.out.size());
        double[] d = new double[N];
        for (int i = 0; i < N; i++) d[i] = h.out.get(i).nanos() - (double) h.out.get(i).seq() * gap;
        return d;
    }

    private static void ks(String dist, RealDistribution expected) throws SpecException {
        double[] d = delays(dist);
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        double stat = ks.kolmogorovSmirnovStatistic(expected, d);
        double p = ks.kolmogorovSmirnovTest(expected, d);
        double mean = 0;
        for (double x : d) mean += x / N;
        double var = 0;
        for (double x : d) var += (x - mean) * (x - mean) / (N - 1);
        System.out.printf("jitter %s: delay=100ms jitter=10ms, n=%d, measured mean %.3f ms sd %.3f ms "
                + "(intended mean %.3f ms sd %.3f ms), KS D=%.4f p=%.3f%n", dist, N, mean / 1e6,
                Math.sqrt(var) / 1e6, expected.getNumericalMean() / 1e6, Math.sqrt(expected.getNumericalVariance()) / 1e6,
                stat, p);
        assertTrue(p > 0.001, dist + ": KS rejects at 0.001, D=" + stat + " p=" + p);
    }

    /** A distribution given by a monotone standardised quantile q; the CDF inverts it by bisection. */
    private abstract static class Quantile extends AbstractRealDistribution {
        private static final long serialVersionUID = 1L;

        Quantile() {
            super(null);
        }

        abstract double q(double u);

        @Override
        public double cumulativeProbability(double x) {
            double z = (x - MU) / SIGMA;
            if (z < q(0)) return 0;
            if (z >= q(1 - 1e-15)) return 1;
            double lo = 0, hi = 1;
            for (int i = 0; i < 60; i++) {
                double mid = (lo + hi) / 2;
                if (q(mid) <= z) lo = mid; else hi = mid;
            }
            return lo;
        }

        @Override
        public double getNumericalMean() {
            double s = 0;
            int n = 100_000;
            for (int i = 0; i < n; i++) s += MU + SIGMA * q((i + 0.5) / n);
            return s / n;
        }

        @Override
        public double getNumericalVariance() {
            double m = getNumericalMean(), s = 0;
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                double x = MU + SIGMA * q((i + 0.5) / n) - m;
                s += x * x;
            }
            return s / n;
        }

        @Override public double density(double x) { throw new UnsupportedOperationException(); }
        @Override public double getSupportLowerBound() { return MU + SIGMA * q(0); }
        @Override public double getSupportUpperBound() { return MU + SIGMA * q(1 - 1e-15); }
        @Override public boolean isSupportLowerBoundInclusive() { return true; }
        @Override public boolean isSupportUpperBoundInclusive() { return true; }
        @Override public boolean isSupportConnected() { return true; }
    }
}
