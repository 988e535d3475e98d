package dev.tungate.gateway.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Link lifecycle: runtime profile change, close, syn-drop, slot")
class LifecycleTest {
    @Test
    @DisplayName("delay 100ms -> 10ms at runtime: held frames keep their due time, new ones take the new delay")
    void runtimeChange() throws SpecException {
        LinkHarness h = LinkHarness.up("delay=100ms");
        h.send(0, 100);
        h.advanceTo(20_000_000);
        h.link.profile(ImpairProfile.parse("delay=10ms").up());
        h.send(1, 100);
        h.drain();
        assertEquals(1, h.out.get(0).seq());
        assertEquals(30_000_000L, h.out.get(0).nanos());
        assertEquals(0, h.out.get(1).seq());
        assertEquals(100_000_000L, h.out.get(1).nanos());
    }

    @Test
    @DisplayName("cleared at runtime: the delay line keeps its times, the bottleneck queue drains under the new profile, new frames pass at once")
    void runtimeClear() throws SpecException {
        LinkHarness h = LinkHarness.up("delay=50ms rate=1mbit");
        h.send(0, 1250);
        h.send(1, 1250);
        h.link.profile(DirectionProfile.EMPTY);
        h.advanceTo(1_000_000);
        h.send(2, 100);
        assertEquals(1, h.out.size());
        assertEquals(2, h.out.get(0).seq());
        h.drain();
        // Frame 1 was still queued behind frame 0's transmission (until 10 ms): it goes then, undelayed.
        assertEquals(1, h.out.get(1).seq());
        assertEquals(10_000_000L, h.out.get(1).nanos());
        // Frame 0 was on the wire: it keeps its 10 ms + 50 ms.
        assertEquals(0, h.out.get(2).seq());
        assertEquals(60_000_000L, h.out.get(2).nanos());
        h.assertAllReleased();
    }

    @Test
    @DisplayName("rate raised at runtime: the queue drains at the new rate")
    void runtimeRate() throws SpecException {
        LinkHarness h = LinkHarness.up("rate=1mbit");
        for (int i = 0; i < 4; i++) h.send(i, 1250);
        h.advanceTo(10_000_000);   // packet 0 left; packet 1 is on the wire until 20 ms
        h.link.profile(ImpairProfile.parse("rate=10mbit").up());
        h.drain();
        assertEquals(20_000_000L, h.out.get(1).nanos());
        assertEquals(21_000_000L, h.out.get(2).nanos());
        assertEquals(22_000_000L, h.out.get(3).nanos());
    }

    @Test
    @DisplayName("close() releases every held frame (refCnt 0); later offers are dropped and counted")
    void closeReleases() throws SpecException {
        LinkHarness h = LinkHarness.up("delay=1s rate=1mbit");
        for (int i = 0; i < 20; i++) h.send(i, 1250);
        h.advanceTo(500_000_000);
        assertTrue(h.link.heldPackets() > 0);
        h.link.close();
        assertEquals(0, h.link.heldPackets());
        assertEquals(0, h.link.heldBytes());
        assertEquals(Long.MAX_VALUE, h.link.nextDueNanos());
        h.send(99, 100);
        assertEquals(1, h.link.counters().dropped(DropReason.CLOSED));
        for (ByteBuf b : h.created) assertEquals(0, b.refCnt());
        assertEquals(0, h.out.size());
    }

    @Test
    @DisplayName("syn-drop=2: the first two SYNs are dropped, the third passes; other segments are untouched")
    void synDrop() throws SpecException {
        LinkHarness h = LinkHarness.up("syn-drop=2");
        h.sendFlags(1, TcpHeader.SYN);
        h.sendFlags(2, TcpHeader.ACK);
        h.sendFlags(3, TcpHeader.SYN);
        h.sendFlags(4, TcpHeader.SYN);
        h.sendFlags(5, TcpHeader.SYN | TcpHeader.ACK);
        assertEquals(2, h.link.counters().dropped(DropReason.SYN_DROP));
        assertEquals(3, h.out.size());
        assertEquals(2, h.out.get(0).seq());
        assertEquals(4, h.out.get(1).seq());
        assertEquals(5, h.out.get(2).seq());
        h.assertAllReleased();
    }

    @Test
    @DisplayName("slot=10ms slot-packets=2: frames leave two at a time, 10 ms apart")
    void slots() throws SpecException {
        LinkHarness h = LinkHarness.up("slot=10ms slot-packets=2");
        for (int i = 0; i < 6; i++) h.send(i, 100);
        h.drain();
        long[] ms = {10, 10, 20, 20, 30, 30};
        for (int i = 0; i < 6; i++) {
            assertEquals(i, h.out.get(i).seq());
            assertEquals(ms[i] * 1_000_000L, h.out.get(i).nanos(), "frame " + i);
        }
    }

    @Test
    @DisplayName("slot=10ms,20ms: bursts come between 10 and 20 ms apart")
    void slotRange() throws SpecException {
        LinkHarness h = LinkHarness.up("slot=10ms,20ms slot-packets=1 limit=2000 seed=5");
        for (int i = 0; i < 1000; i++) h.send(i, 100);
        h.drain();
        long min = Long.MAX_VALUE, max = 0;
        for (int i = 1; i < 1000; i++) {
            long gap = h.out.get(i).nanos() - h.out.get(i - 1).nanos();
            min = Math.min(min, gap);
            max = Math.max(max, gap);
        }
        assertTrue(min >= 10_000_000L && max < 20_000_000L, "gaps " + min + ".." + max);
    }
}
