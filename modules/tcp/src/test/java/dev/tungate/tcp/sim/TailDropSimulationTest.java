package dev.tungate.tcp.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.tcp.TcpInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the Tail Loss Probe (RFC 8985 §7) buys: the simulator's seeds with, on top of their random
 * impairments, the first copies of the last {@link #TAIL} segments of every burst that empties the
 * sender's queue (see {@link SimLink#tailDrop}) lost in both directions. Each seed runs twice, with and without the probe; both must
 * deliver every byte, and the total virtual time to the last byte delivered is printed for each
 * (no threshold: a figure, not a gate). {@code -Dsim.tailSeeds=N} (default 200).
 *
 * <p>{@code mvn -q -pl modules/tcp -am test -Dtest=TailDropSimulationTest -Dsurefire.failIfNoSpecifiedTests=false},
 * then target/surefire-reports/dev.tungate.tcp.sim.TailDropSimulationTest-output.txt.
 */
@DisplayName("Simulation: bursts whose last segment is lost, with and without the tail loss probe")
class TailDropSimulationTest {
    /** Segments lost at the end of each burst that empties the sender's queue: {@code -Dsim.tailDrop=N}. */
    static final int TAIL = Integer.getInteger("sim.tailDrop", 2);

    @Test
    @DisplayName("every seed delivers with and without TLP; prints the total completion time of each")
    void tailDrops() {
        int seeds = Integer.getInteger("sim.tailSeeds", 200);
        for (boolean scriptedOnly : new boolean[] {true, false}) {
            long[] without = run(seeds, false, scriptedOnly);
            long[] with = run(seeds, true, scriptedOnly);
            System.out.printf("tail drops%s, %d seeds: last byte delivered after %.3f s without TLP, %.3f s with TLP"
                    + " (virtual, summed over seeds); seeds faster %d, slower %d; RTOs %d -> %d, loss probes %d -> %d,"
                    + " scripted drops %d -> %d%n", scriptedOnly ? " only" : " on top of the seeds' random impairments",
                    seeds, without[0] / 1e9, with[0] / 1e9, faster(without, with), faster(with, without), without[1],
                    with[1], without[2], with[2], without[3], with[3]);
        }
    }

    /** Seeds where {@code b} finished before {@code a}. */
    private static int faster(long[] a, long[] b) {
        int n = 0;
        for (int i = 4; i < a.length; i++) {
            n += b[i] < a[i] ? 1 : 0;
        }
        return n;
    }

    /** Returns {completion nanos summed, RTOs, loss probes, scripted drops, then each seed's completion nanos}. */
    private static long[] run(int seeds, boolean tlp, boolean scriptedOnly) {
        long[] sum = new long[4 + seeds];
        List<String> failures = new ArrayList<>();
        for (long seed = 0; seed < seeds; seed++) {
            Scenario sc = Scenario.fromSeed(seed, SimulationTest.LARGE_EVERY);
            sc.clientConfig.tailLossProbe = tlp;
            sc.serverConfig.tailLossProbe = tlp;
            StringBuilder trace = Long.getLong("sim.tailTrace", -1L) == seed ? new StringBuilder() : null;
            Simulation sim = new Simulation(sc, trace);
            sim.clientToServer.tailDrop = TAIL;
            sim.serverToClient.tailDrop = TAIL;
            sim.clientToServer.scriptedOnly = scriptedOnly;
            sim.serverToClient.scriptedOnly = scriptedOnly;
            String failure = sim.run();
            if (trace != null) {
                System.out.println(sc + "\n" + trace);
            }
            if (failure != null) {
                failures.add("seed " + seed + " tlp=" + tlp + ": " + failure);
            }
            sum[4 + (int) seed] = Math.max(sim.client.allReceivedNanos, sim.server.allReceivedNanos);
            sum[0] += sum[4 + (int) seed];
            for (SimHost h : new SimHost[] {sim.client, sim.server}) {
                TcpInfo info = h.conn.info();
                sum[1] += info.timeouts();
                sum[2] += info.lossProbes();
            }
            long drops = sim.clientToServer.tailDropped + sim.serverToClient.tailDropped;
            sum[3] += drops;
            if (Boolean.getBoolean("sim.tailVerbose")) {
                System.out.printf("seed %d tlp=%s done %.3f s rto %d/%d probes %d/%d drops %d sack %s/%s%n", seed, tlp,
                        Math.max(sim.client.allReceivedNanos, sim.server.allReceivedNanos) / 1e9,
                        sim.client.conn.info().timeouts(), sim.server.conn.info().timeouts(),
                        sim.client.conn.info().lossProbes(), sim.server.conn.info().lossProbes(), drops,
                        sc.clientConfig.sack, sc.serverConfig.sack);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failed; first: " + (failures.isEmpty() ? "" : failures.get(0)));
        return sum;
    }
}
