package dev.tungate.gateway.emu;

/**
 * One packet's delay as netem's tabledist(): {@code delay + jitter * q(u)}, u from a
 * {@link CorrelatedRandom} (the {@code correlation=} key) and q the {@link Distribution}'s quantile,
 * rounded to the ns and clamped at 0 (a packet is never sent before it arrived). Without jitter the
 * delay is exact and no random number is drawn, as in the kernel.
 */
final class DelayModel {
    private final CorrelatedRandom rnd;
    private long delayNanos, jitterNanos;
    private Distribution distribution;

    DelayModel(CorrelatedRandom rnd) {
        this.rnd = rnd;
    }

    void profile(DirectionProfile p) {
        delayNanos = p.delayNanos();
        jitterNanos = p.jitterNanos();
        distribution = p.distribution();
        rnd.correlation(p.delayCorrelation());
    }

    long sampleNanos() {
        if (jitterNanos == 0) return delayNanos;
        long d = delayNanos + Math.round(jitterNanos * distribution.quantile(rnd.next()));
        return Math.max(0, d);
    }
}
