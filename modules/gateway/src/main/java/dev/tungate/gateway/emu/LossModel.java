package dev.tungate.gateway.emu;

import java.util.SplittableRandom;

/**
 * netem's loss models (kernel loss_event()), one instance per link direction, one decision per
 * packet. Random loss draws one correlated number; Gilbert-Elliott draws two per packet
 * (transition, then loss in the state the packet met), as loss_gilb_ell() does; the 4-state model
 * draws one. Draw counts depend only on the model, never on earlier outcomes, so the n-th packet's
 * fate depends only on the seed and n.
 */
final class LossModel {
    /** Gilbert-Elliott states (kernel GOOD_STATE/BAD_STATE). */
    private static final int GOOD = 0, BAD = 1;
    /** 4-state Markov states (Salsano et al.; kernel TX_IN_GAP_PERIOD...): 1 and 2 deliver, 3 and 4 lose. */
    private static final int TX_IN_GAP = 1, TX_IN_BURST = 2, LOST_IN_BURST = 3, LOST_IN_GAP = 4;

    private final CorrelatedRandom rnd;
    private final SplittableRandom raw;
    private LossSpec spec = LossSpec.NONE;
    private int state;

    LossModel(CorrelatedRandom rnd) {
        this.rnd = rnd;
        this.raw = rnd.raw();
    }

    /** A new spec; the chain restarts in its good state when the spec changed. */
    void spec(LossSpec s) {
        if (!s.equals(spec)) {
            state = s.kind() == LossSpec.Kind.FOUR_STATE ? TX_IN_GAP : GOOD;
        }
        spec = s;
        rnd.correlation(s.kind() == LossSpec.Kind.RANDOM ? s.p2() : 0);
    }

    boolean lose() {
        switch (spec.kind()) {
            case NONE: return false;
            case RANDOM: return rnd.next() < spec.p1();
            case GILBERT_ELLIOTT: return gilbertElliott();
            default: return fourState();
        }
    }

    /** netem loss_gilb_ell(): move with p (good→bad) or r (bad→good); lose with 1-k (good) or 1-h (bad). */
    private boolean gilbertElliott() {
        double move = raw.nextDouble(), lose = raw.nextDouble();
        if (state == GOOD) {
            if (move < spec.p1()) state = BAD;
            return lose < spec.p4();
        }
        if (move < spec.p2()) state = GOOD;
        return lose < spec.p3();
    }

    /** The 4-state Markov chain: move first, the packet is lost in states 3 and 4. */
    private boolean fourState() {
        double u = raw.nextDouble();
        double p13 = spec.p1(), p31 = spec.p2(), p32 = spec.p3(), p23 = spec.p4(), p14 = spec.p5();
        switch (state) {
            case TX_IN_GAP:
                if (u < p13) state = LOST_IN_BURST;
                else if (u < p13 + p14) state = LOST_IN_GAP;
                break;
            case TX_IN_BURST:
                if (u < p23) state = LOST_IN_BURST;
                break;
            case LOST_IN_BURST:
                if (u < p31) state = TX_IN_GAP;
                else if (u < p31 + p32) state = TX_IN_BURST;
                break;
            default:
                state = TX_IN_GAP;
                break;
        }
        return state == LOST_IN_BURST || state == LOST_IN_GAP;
    }
}
