package dev.tungate.gateway.emu;

import java.util.SplittableRandom;

/**
 * netem's correlated uniform (kernel get_crandom()): {@code next = u * (1 - ρ) + last * ρ}, u fresh
 * uniform in [0, 1). With ρ = 0 it is the plain uniform and {@code last} is left alone, as in the
 * kernel. As in netem, ρ > 0 narrows the marginal distribution towards the mean: correlation is
 * netem's definition, not a Markov chain with a uniform marginal.
 */
final class CorrelatedRandom {
    private final SplittableRandom rng;
    private double rho;
    private double last;

    CorrelatedRandom(SplittableRandom rng, double rho) {
        this.rng = rng;
        this.rho = rho;
        this.last = rng.nextDouble();   // netem init_crandom(): last = a random value
    }

    void correlation(double rho) {
        this.rho = rho;
    }

    double next() {
        double u = rng.nextDouble();
        if (rho == 0) return u;
        last = u * (1.0 - rho) + last * rho;
        return last;
    }

    /** The uncorrelated stream behind, for draws netem makes with prandom_u32 (positions, bits). */
    SplittableRandom raw() {
        return rng;
    }
}
