package dev.tungate.gateway.emu;

/**
 * The {@code loss=} value of one direction. Probabilities are in [0, 1].
 *
 * <ul>
 * <li>{@link Kind#RANDOM}: {@code loss=P[,CORR]}, netem's random loss with correlation.
 * <li>{@link Kind#GILBERT_ELLIOTT}: {@code loss=ge:p,r[,1-h,1-k]}, netem's {@code loss gemodel}:
 *     p = P(good→bad), r = P(bad→good), 1-h = loss in the bad state (default 100%),
 *     1-k = loss in the good state (default 0%). iproute2's default r is 100%.
 * <li>{@link Kind#FOUR_STATE}: {@code loss=state:p13[,p31,p32,p23,p14]}, netem's {@code loss state}
 *     (Salsano et al., "4-state Markov"): defaults p31 = 1-p13, p32 = 0, p23 = 100%, p14 = 0.
 * </ul>
 */
public record LossSpec(Kind kind, double p1, double p2, double p3, double p4, double p5) {
    public enum Kind { NONE, RANDOM, GILBERT_ELLIOTT, FOUR_STATE }

    public static final LossSpec NONE = new LossSpec(Kind.NONE, 0, 0, 0, 0, 0);

    /** Random loss with probability {@code p} and netem correlation {@code corr}. */
    public static LossSpec random(double p, double corr) {
        return new LossSpec(Kind.RANDOM, p, corr, 0, 0, 0);
    }

    /** Gilbert-Elliott: p, r, loss in bad (1-h), loss in good (1-k). */
    public static LossSpec gilbertElliott(double p, double r, double lossBad, double lossGood) {
        return new LossSpec(Kind.GILBERT_ELLIOTT, p, r, lossBad, lossGood, 0);
    }

    /** 4-state Markov: p13, p31, p32, p23, p14. */
    public static LossSpec fourState(double p13, double p31, double p32, double p23, double p14) {
        return new LossSpec(Kind.FOUR_STATE, p13, p31, p32, p23, p14);
    }
}
