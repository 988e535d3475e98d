package dev.tungate.gateway.emu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("SPEC grammar: key=value, up./down. prefixes, units, one-line errors")
class SpecParserTest {
    @Test
    @DisplayName("the issue's example: both directions, one direction, seed")
    void example() throws SpecException {
        ImpairProfile p = ImpairProfile.parse("delay=25ms down.rate=20mbit loss=1% seed=7");
        assertEquals(25_000_000L, p.up().delayNanos());
        assertEquals(25_000_000L, p.down().delayNanos());
        assertEquals(0, p.up().rateBitsPerSecond());
        assertEquals(20_000_000L, p.down().rateBitsPerSecond());
        assertEquals(LossSpec.random(0.01, 0), p.up().loss());
        assertEquals(7, p.seed());
        assertEquals(Scope.FLOW, p.scope());
        assertEquals("delay=25ms loss=1% down.rate=20mbit seed=7", p.spec());
        assertFalse(p.isEmpty());
        assertEquals(p.spec(), ImpairProfile.parse(p.spec()).spec(), "canonical text parses to itself");
    }

    @Test
    @DisplayName("empty SPEC and seed/scope alone are empty profiles")
    void empty() throws SpecException {
        assertTrue(ImpairProfile.parse("").isEmpty());
        assertTrue(ImpairProfile.parse("  seed=3 scope=rule ").isEmpty());
        assertEquals(Scope.RULE, ImpairProfile.parse("scope=rule").scope());
        assertTrue(ImpairProfile.parse("").up().isEmpty());
    }

    @Test
    @DisplayName("units: us/ms/s, decimal percent, bit..gbit, b/k/m sizes (1m = 1 MiB)")
    void units() throws SpecException {
        ImpairProfile p = ImpairProfile.parse("delay=1.5ms jitter=250us up.rate=1.5mbit duplicate=0.25% "
                + "limit-bytes=64k reset-after=1m slot=10ms,20ms slot-packets=4 overhead=38");
        assertEquals(1_500_000L, p.up().delayNanos());
        assertEquals(250_000L, p.up().jitterNanos());
        assertEquals(1_500_000L, p.up().rateBitsPerSecond());
        assertEquals(0.0025, p.up().duplicate(), 1e-15);
        assertEquals(65536, p.up().limitBytes());
        assertEquals(1L << 20, p.stream().up().resetAfterBytes());
        assertEquals(1L << 20, p.stream().down().resetAfterBytes());
        assertEquals(10_000_000L, p.up().slotMinNanos());
        assertEquals(20_000_000L, p.up().slotMaxNanos());
        assertEquals(38, p.up().overheadBytes());
        assertEquals("delay=1500us jitter=250us duplicate=0.25% up.rate=1500kbit overhead=38 limit-bytes=64k "
                + "slot=10ms,20ms slot-packets=4 reset-after=1m", p.spec());
    }

    @Test
    @DisplayName("loss: random with correlation, ge: with netem defaults, state:")
    void loss() throws SpecException {
        assertEquals(LossSpec.random(0.05, 0.25), ImpairProfile.parse("loss=5%,25%").up().loss());
        assertEquals(LossSpec.gilbertElliott(0.01, 1.0, 1.0, 0.0), ImpairProfile.parse("loss=ge:1%").up().loss());
        assertEquals(LossSpec.gilbertElliott(0.01, 0.3, 0.9, 0.001),
                ImpairProfile.parse("loss=ge:1%,30%,90%,0.1%").up().loss());
        LossSpec s = ImpairProfile.parse("loss=state:2%").up().loss();
        assertEquals(LossSpec.Kind.FOUR_STATE, s.kind());
        assertEquals(0.98, s.p2(), 1e-12);
        assertEquals("loss=ge:1%,30%", ImpairProfile.parse("loss=GE:1.0%,30%").spec());
    }

    @Test
    @DisplayName("a later key overrides; up./down. override one side")
    void override() throws SpecException {
        ImpairProfile p = ImpairProfile.parse("delay=10ms up.delay=20ms delay=5ms down.delay=7ms");
        assertEquals(5_000_000L, p.up().delayNanos());
        assertEquals(7_000_000L, p.down().delayNanos());
        assertEquals("up.delay=5ms down.delay=7ms", p.spec());
    }

    @Test
    @DisplayName("reorder alone sets gap 1, as iproute2 does")
    void reorderGap() throws SpecException {
        assertEquals(1, ImpairProfile.parse("delay=10ms reorder=25%,50%").up().gap());
        assertEquals(0.5, ImpairProfile.parse("delay=10ms reorder=25%,50%").up().reorderCorrelation());
        assertEquals(5, ImpairProfile.parse("reorder=25% gap=5").up().gap());
    }

    @Test
    @DisplayName("stream keys: timeout with action, reset-after time, slicer, slow-close, limit-data per direction")
    void stream() throws SpecException {
        ImpairProfile p = ImpairProfile.parse("up.timeout=5s,hold down.reset-after=2s slicer=64b,1ms "
                + "slow-close=500ms down.limit-data=10k");
        StreamImpairments.Side up = p.stream().up(), down = p.stream().down();
        assertEquals(5_000_000_000L, up.timeoutNanos());
        assertEquals(StreamImpairments.TimeoutAction.HOLD, up.timeoutAction());
        assertTrue(up.timeoutSet());
        assertFalse(down.timeoutSet());
        assertEquals(2_000_000_000L, down.resetAfterNanos());
        assertEquals(64, up.slicerBytes());
        assertEquals(1_000_000L, down.slicerDelayNanos());
        assertEquals(500_000_000L, up.slowCloseNanos());
        assertEquals(10240, down.limitDataBytes());
        assertEquals(0, up.limitDataBytes());
        assertTrue(p.up().isEmpty(), "stream keys are not packet impairments");
        assertFalse(p.isEmpty());
    }

    @Test
    @DisplayName("trace=FILE loads Mahimahi's format; a bad file is one line")
    void trace(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.trace");
        Files.writeString(f, "1\n1\n3\n5\n");
        DirectionProfile d = ImpairProfile.parse("down.trace=" + f).down();
        assertArrayEquals(new long[] {1, 1, 3, 5}, d.trace().opportunitiesMs());
        assertNull(ImpairProfile.parse("down.trace=" + f).up().trace());
        Files.writeString(f, "1\n3\nx\n");
        SpecException e = assertThrows(SpecException.class, () -> ImpairProfile.parse("trace=" + f));
        assertEquals("trace: found '" + f + ":3: x', expected a time in ms per line", e.getMessage());
    }

    @Test
    @DisplayName("bad keys and values: KEY: found 'X', expected Y")
    void errors() {
        assertError("delay: found '25', expected a duration like 25ms (ns, us, ms, s)", "delay=25");
        assertError("loss: found '101%', expected P[,CORRELATION] like 1% or 1%,25%", "loss=101%");
        assertError("rate: found '20mbps', expected a rate like 20mbit (bit, kbit, mbit, gbit)", "down.rate=20mbps");
        assertError("distribution: found 'gauss', expected uniform, normal, pareto or paretonormal", "distribution=gauss");
        assertError("queue: found 'red', expected droptail or codel", "queue=red");
        assertError("scope: found 'host', expected flow or rule", "scope=host");
        assertError("seed: found 'x', expected an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE, "seed=x");
        assertError("delay25ms: found 'delay25ms', expected key=value", "delay25ms");
        assertError("loss: found 'ge:1%,2%,3%,4%,5%', expected ge:p[,r[,1-h[,1-k]]] like ge:1%,25%", "loss=ge:1%,2%,3%,4%,5%");
        assertError("delay: found '0.5ns', expected a duration like 25ms (ns, us, ms, s) that is a whole number of its base unit",
                "delay=0.5ns");
        SpecException e = assertThrows(SpecException.class, () -> ImpairProfile.parse("up.latency=5ms"));
        assertTrue(e.getMessage().startsWith("latency: found 'up.latency=5ms', expected a key: delay, jitter,"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    private static void assertError(String message, String spec) {
        SpecException e = assertThrows(SpecException.class, () -> ImpairProfile.parse(spec));
        assertEquals(message, e.getMessage());
    }
}
