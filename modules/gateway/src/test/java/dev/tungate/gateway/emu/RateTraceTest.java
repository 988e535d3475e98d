package dev.tungate.gateway.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("netem rate and Mahimahi trace schedules, exact to the byte and the ms")
class RateTraceTest {
    @Test
    @DisplayName("rate=1mbit: 1250-byte packets sent together leave every 10 ms exactly")
    void rateBackToBack() throws SpecException {
        LinkHarness h = LinkHarness.up("rate=1mbit limit=100");
        for (int i = 0; i < 10; i++) h.send(i, 1250);
        h.drain();
        for (int i = 0; i < 10; i++) assertEquals((i + 1) * 10_000_000L, h.out.get(i).nanos());
    }

    @Test
    @DisplayName("rate=3mbit overhead=14: (1000+14)*8 bits each; the k-th leaves at floor(k*8112e9/3e6) ns, no drift")
    void rateWithOverheadNoDrift() throws SpecException {
        LinkHarness h = LinkHarness.up("rate=3mbit overhead=14 limit=5000");
        int n = 3000;
        for (int i = 0; i < n; i++) h.send(i, 1000);
        h.drain();
        for (int k = 1; k <= n; k++) {
            assertEquals(Math.floorDiv(k * 8112L * 1_000_000_000L, 3_000_000L), h.out.get(k - 1).nanos(), "packet " + k);
        }
    }

    @Test
    @DisplayName("rate=20mbit: 10,000 packets of 1500 bytes take exactly 6 s; measured throughput = spec")
    void rateThroughput() throws SpecException {
        LinkHarness h = LinkHarness.up("rate=20mbit limit=20000 limit-bytes=64m");
        for (int i = 0; i < 10_000; i++) h.send(i, 1500);
        h.drain();
        long last = h.out.get(9_999).nanos();
        assertEquals(6_000_000_000L, last);
        System.out.printf("rate=20mbit: measured %.6f Mbit/s over 15,000,000 bytes%n", 15_000_000 * 8 / (last / 1e9) / 1e6);
    }

    @Test
    @DisplayName("rate then delay: the idle link sends at once, then the delay is added")
    void rateAndDelay() throws SpecException {
        LinkHarness h = LinkHarness.up("rate=1mbit delay=5ms");
        h.send(0, 1250);
        h.advanceBy(50_000_000);
        h.send(1, 1250);
        h.drain();
        assertEquals(15_000_000L, h.out.get(0).nanos());
        assertEquals(50_000_000L + 15_000_000L, h.out.get(1).nanos());
    }

    @Test
    @DisplayName("trace 1,1,3,5 ms: 1500-byte packets leave at 1,1,3,5 then wrap to 6,6,8,10")
    void traceOpportunities(@TempDir Path dir) throws Exception {
        LinkHarness h = LinkHarness.up("trace=" + trace(dir, "1\n1\n3\n5\n"));
        for (int i = 0; i < 8; i++) h.send(i, 1500);
        h.drain();
        long[] ms = {1, 1, 3, 5, 6, 6, 8, 10};
        for (int i = 0; i < 8; i++) assertEquals(ms[i] * 1_000_000L, h.out.get(i).nanos(), "packet " + i);
    }

    @Test
    @DisplayName("trace: two 750-byte packets share an opportunity; a 3000-byte one needs two")
    void traceBytes(@TempDir Path dir) throws Exception {
        LinkHarness h = LinkHarness.up("trace=" + trace(dir, "2\n4\n6\n8\n"));
        h.send(0, 750);
        h.send(1, 750);
        h.send(2, 3000);
        h.send(3, 100);
        h.drain();
        assertEquals(2_000_000L, h.out.get(0).nanos());
        assertEquals(2_000_000L, h.out.get(1).nanos());
        assertEquals(6_000_000L, h.out.get(2).nanos());
        assertEquals(8_000_000L, h.out.get(3).nanos());
    }

    @Test
    @DisplayName("trace: an opportunity nobody waits for is lost; a late packet takes the next one")
    void traceUnusedOpportunities(@TempDir Path dir) throws Exception {
        LinkHarness h = LinkHarness.up("trace=" + trace(dir, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"));
        h.send(0, 1500);                  // starts the clock: leaves at 1 ms
        h.advanceTo(3_500_000);
        h.send(1, 1500);                  // opportunities 2 and 3 went unused; leaves at 4 ms
        h.send(2, 1000);                  // 5 ms, with 500 bytes left in it
        h.advanceTo(4_800_000);
        h.send(3, 400);                   // fits in what is left of the 5 ms opportunity
        h.advanceTo(5_200_000);
        h.send(4, 100);                   // the 5 ms one has passed: 6 ms
        h.drain();
        long[] ms = {1, 4, 5, 5, 6};
        for (int i = 0; i < 5; i++) assertEquals(ms[i] * 1_000_000L, h.out.get(i).nanos(), "packet " + i);
    }

    @Test
    @DisplayName("a 12 Mbit/s trace (one opportunity per ms) carries 12 Mbit/s of 1500-byte packets")
    void traceTwelveMbit(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int ms = 1; ms <= 1000; ms++) sb.append(ms).append('\n');
        LinkHarness h = LinkHarness.up("trace=" + trace(dir, sb.toString()) + " limit=5000 limit-bytes=64m");
        for (int i = 0; i < 3000; i++) h.send(i, 1500);
        h.drain();
        long last = h.out.get(2999).nanos();
        assertEquals(3_000_000_000L, last);
        System.out.printf("trace 12 Mbit/s: measured %.6f Mbit/s over 3000 x 1500 bytes%n", 3000 * 1500 * 8 / (last / 1e9) / 1e6);
    }

    private static String trace(Path dir, String lines) throws Exception {
        Path f = Files.createTempFile(dir, "link", ".trace");
        Files.writeString(f, lines);
        return f.toString();
    }
}
