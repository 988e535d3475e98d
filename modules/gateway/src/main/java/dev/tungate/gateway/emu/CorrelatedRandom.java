package dev.tungate.gateway.emu;

import java.util.SplittableRandom;

/**
 * A correlated uniform in [0, 1) for netem's correlation parameters: with probability ρ the last
 * value again, otherwise a fresh uniform. Successive values have correlation ρ and the marginal
 * stays uniform, so {@code loss=10%,50%} still loses 10 % (in bursts of mean 1/(1 - ρ - (1-ρ)p)).
 *
 * <p>Deviation: the kernel's get_crandom() returns {@code u * (1 - ρ) + last * ρ}, which narrows
 * the marginal towards 0.5: there {@code loss 10% 50%} loses about 0.1 %, and tc-netem(8) calls
 * loss correlation broken. We keep the parameter's meaning and fix the rate. With ρ = 0 it is the
 * plain uniform, one draw per value; with ρ > 0 two draws per value.
 */
final class CorrelatedRandom {
    private final SplittableRandom rng;
    private double rho;
    private double last;

    CorrelatedRandom(SplittableRandom rng, double rho) {
        this.rng = rng;
        this.rho = rho;
        this.last = rng.nextDouble();
    }

    void correlation(double rho) {
        this.rho = rho;
    }

    double next() {
        if (rho == 0) return rng.nextDouble();
        double keep = rng.nextDouble(), fresh = rng.nextDouble();
        if (keep >= rho) last = fresh;
        return last;
    }

    /** The uncorrelated stream behind, for draws netem makes with prandom_u32 (positions, bits). */
    SplittableRandom raw() {
        return rng;
    }
}
