package dev.tungate.tcp.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.tcp.State;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two engines over an impaired link, for many seeds: every byte must arrive in order exactly
 * once in both directions and both sides must end in CLOSED (after TIME-WAIT).
 *
 * <p>Replay one seed with its packet trace:
 * {@code mvn -q -pl modules/tcp test -Dtest=SimulationTest#seeds -Dsim.seed=N -Dsim.trace=true}
 * (the trace goes to target/surefire-reports/dev.tungate.tcp.sim.SimulationTest-output.txt).
 * {@code -Dsim.seeds=N} runs seeds 0..N-1 (default 1000), {@code -Dsim.firstSeed=K} starts at K;
 * seeds divisible by {@code -Dsim.largeEvery} (default 200) move megabytes.
 */
@DisplayName("Simulation: two engines over loss, duplication, reordering, delay, jitter and corruption")
class SimulationTest {
    static final int LARGE_EVERY = Integer.getInteger("sim.largeEvery", 200);

    @Test
    @DisplayName("for every seed, each byte arrives in order exactly once and both sides reach CLOSED")
    void seeds() {
        String only = System.getProperty("sim.seed");
        long first = only != null ? Long.parseLong(only) : Long.getLong("sim.firstSeed", 0);
        long count = only != null ? 1 : Integer.getInteger("sim.seeds", 1000);
        boolean tracing = Boolean.getBoolean("sim.trace");
        List<String> failures = new ArrayList<>();
        long bytes = 0;
        long virtual = 0;
        long events = 0;
        long[] impaired = new long[6];
        Set<State> statesSeen = EnumSet.noneOf(State.class);
        long started = System.nanoTime();
        for (long seed = first; seed < first + count; seed++) {
            Scenario sc = Scenario.fromSeed(seed, LARGE_EVERY);
            StringBuilder trace = tracing ? new StringBuilder() : null;
            Simulation sim = new Simulation(sc, trace);
            String failure = sim.run();
            if (trace != null) {
                System.out.println(sc);
                System.out.print(trace);
            }
            if (failure != null) {
                failures.add(sc + "\n  FAILED " + failure + "\n  replay: -Dsim.seed=" + seed + " -Dsim.trace=true");
            }
            bytes += sc.client.bytesToSend() + sc.server.bytesToSend();
            virtual += sim.virtualNanos();
            events += sim.events();
            long[] im = sim.impairments();
            for (int i = 0; i < im.length; i++) {
                impaired[i] += im[i];
            }
            statesSeen.addAll(sim.client.statesSeen);
            statesSeen.addAll(sim.server.statesSeen);
        }
        long wallMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("simulation: %d seeds from %d, %d failed, %.1f MB moved, %d events, %.0f s virtual, %d ms wall;"
                + " packets lost %d, corrupted %d, queue-dropped %d, duplicated %d, reordered %d, CE-marked %d;"
                + " states seen %s%n", count, first, failures.size(), bytes / 1e6, events, virtual / 1e9, wallMillis,
                impaired[0], impaired[1], impaired[2], impaired[3], impaired[4], impaired[5], statesSeen);
        failures.stream().limit(5).forEach(System.out::println);
        assertTrue(failures.isEmpty(), failures.size() + " of " + count + " seeds failed; first:\n"
                + (failures.isEmpty() ? "" : failures.get(0)));
        if (count >= 1000) {
            // The scenario mix must drive every state of RFC 9293 §3.3.2 Fig. 5, simultaneous close's CLOSING included.
            Set<State> missing = EnumSet.allOf(State.class);
            missing.removeAll(statesSeen);
            assertEquals(Set.of(), missing, "states no seed reached");
        }
    }

    @Test
    @DisplayName("a seed replays identically: the same packets at the same virtual times")
    void replaysIdentically() {
        for (long seed : new long[] {3, 17, 42}) {
            StringBuilder one = new StringBuilder();
            StringBuilder two = new StringBuilder();
            String r1 = new Simulation(Scenario.fromSeed(seed, LARGE_EVERY), one).run();
            String r2 = new Simulation(Scenario.fromSeed(seed, LARGE_EVERY), two).run();
            assertEquals(r1, r2);
            assertTrue(one.length() > 0);
            assertEquals(one.toString(), two.toString(), "trace of seed " + seed);
        }
    }
}
