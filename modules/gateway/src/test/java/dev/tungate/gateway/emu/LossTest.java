package dev.tungate.gateway.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("netem loss models: random, Gilbert-Elliott, 4-state")
class LossTest {
    private static final int N = 200_000;

    /** Which of N packets were lost (no delay: a packet passes at once or never). */
    private static boolean[] lost(String spec) throws SpecException {
        LinkHarness h = LinkHarness.up(spec);
        boolean[] passed = new boolean[N];
        for (int i = 0; i < N; i++) {
            int before = h.out.size();
            h.send(i, 60);
            passed[i] = h.out.size() > before;
        }
        boolean[] lost = new boolean[N];
        for (int i = 0; i < N; i++) lost[i] = !passed[i];
        long k = 0;
        for (boolean l : lost) if (l) k++;
        assertEquals(k, h.link.counters().dropped(DropReason.LOSS));
        assertEquals(N - k, h.link.counters().passed());
        h.assertAllReleased();
        return lost;
    }

    private static long count(boolean[] b) {
        long k = 0;
        for (boolean x : b) if (x) k++;
        return k;
    }

    @Test
    @DisplayName("loss=1%: losses inside the 99.9% binomial interval over 200,000 packets")
    void randomOnePercent() throws SpecException {
        Stats.assertBinomial("loss=1%", count(lost("loss=1% seed=1")), N, 0.01);
    }

    @Test
    @DisplayName("loss=5%: inside the 99.9% binomial interval")
    void randomFivePercent() throws SpecException {
        Stats.assertBinomial("loss=5%", count(lost("loss=5% seed=2")), N, 0.05);
    }

    @Test
    @DisplayName("loss=0% and loss=100%")
    void extremes() throws SpecException {
        assertEquals(0, count(lost("loss=0%")));
        assertEquals(N, count(lost("loss=100%")));
    }

    @Test
    @DisplayName("loss=10%,50%: correlation keeps the mean loss and lengthens bursts to 1/(1 - rho - (1-rho)p)")
    void correlated() throws SpecException {
        boolean[] plain = lost("loss=10% seed=3"), corr = lost("loss=10%,50% seed=3");
        double fraction = count(corr) / (double) N, meanBurst = meanBurst(corr);
        double expectedBurst = 1 / (1 - (0.5 + 0.5 * 0.1));
        System.out.printf("loss=10%%: %.4f lost, mean burst %.3f (spec 1.111); loss=10%%,50%%: %.4f lost (spec 0.1), "
                + "mean burst %.3f (spec %.3f)%n", count(plain) / (double) N, meanBurst(plain), fraction, meanBurst,
                expectedBurst);
        assertTrue(Math.abs(fraction - 0.1) < 0.005, "mean loss " + fraction);
        assertTrue(Math.abs(meanBurst - expectedBurst) < 0.05, "mean burst " + meanBurst);
    }

    @Test
    @DisplayName("loss=ge:1%,25%: mean burst length 1/r = 4, loss fraction p/(p+r)")
    void gilbertElliott() throws SpecException {
        double p = 0.01, r = 0.25;
        boolean[] lost = lost("loss=ge:1%,25% seed=4");
        int bursts = bursts(lost);
        double mean = meanBurst(lost);
        // Burst lengths are geometric with mean 1/r, sd sqrt(1-r)/r.
        double se = Math.sqrt(1 - r) / r / Math.sqrt(bursts);
        System.out.printf("loss=ge:1%%,25%%: mean burst spec %.3f measured %.3f (%d bursts, 99.9%% +-%.3f)%n",
                1 / r, mean, bursts, Stats.Z_999 * se);
        assertTrue(Math.abs(mean - 1 / r) < Stats.Z_999 * se, "mean burst " + mean);
        double fraction = count(lost) / (double) N, expected = p / (p + r);
        System.out.printf("loss=ge:1%%,25%%: loss fraction spec %.4f measured %.4f%n", expected, fraction);
        assertTrue(Math.abs(fraction - expected) < 0.15 * expected);
    }

    @Test
    @DisplayName("loss=ge:p,r,1-h,1-k: partial loss in the bad state and some in the good state")
    void gilbertElliottPartial() throws SpecException {
        // Stationary: P(bad) = p/(p+r) = 0.2; loss = 0.2 * 0.5 + 0.8 * 0.01 = 0.108.
        double fraction = count(lost("loss=ge:5%,20%,50%,1% seed=5")) / (double) N;
        System.out.printf("loss=ge:5%%,20%%,50%%,1%%: loss fraction spec 0.1080 measured %.4f%n", fraction);
        assertTrue(Math.abs(fraction - 0.108) < 0.01, "fraction " + fraction);
    }

    @Test
    @DisplayName("loss=state:p13,p31: the 2-state special case, loss p13/(p13+p31), mean burst 1/p31")
    void fourState() throws SpecException {
        boolean[] lost = lost("loss=state:2%,40% seed=6");
        double fraction = count(lost) / (double) N;
        double mean = meanBurst(lost);
        System.out.printf("loss=state:2%%,40%%: loss spec %.4f measured %.4f, mean burst spec 2.5 measured %.3f%n",
                0.02 / 0.42, fraction, mean);
        double se = Math.sqrt(1 - 0.4) / 0.4 / Math.sqrt(bursts(lost));
        assertTrue(Math.abs(mean - 2.5) < Stats.Z_999 * se, "mean burst " + mean);
        assertTrue(Math.abs(fraction - 0.02 / 0.42) < 0.1 * 0.02 / 0.42, "fraction " + fraction);
    }

    @Test
    @DisplayName("loss=state:p13,p31,p32,p23,p14: isolated losses (p14) are single")
    void fourStateIsolated() throws SpecException {
        // Only isolated losses: p13 = 0, p14 = 1%: every loss is a burst of one, fraction ~ p14/(1+p14).
        boolean[] lost = lost("loss=state:0%,100%,0%,100%,1% seed=7");
        assertEquals(1.0, meanBurst(lost), 1e-12);
        Stats.assertBinomial("loss=state p14=1%", count(lost), N, 0.01 / 1.01);
    }

    private static int bursts(boolean[] lost) {
        int n = 0;
        for (int i = 0; i < lost.length; i++) if (lost[i] && (i == 0 || !lost[i - 1])) n++;
        return n;
    }

    private static double meanBurst(boolean[] lost) {
        return count(lost) / (double) bursts(lost);
    }
}
