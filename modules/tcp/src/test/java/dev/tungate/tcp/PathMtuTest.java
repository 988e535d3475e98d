package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 1191 / RFC 8201 path MTU for our own segments, checked per RFC 5927")
class PathMtuTest {
    private final TcpHarness t = TcpHarness.established(c -> c.quickAcks = 0);

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("a too-big about a segment in flight lowers the MSS and resends from SND.UNA at the new size")
    void lowersAndResends() {
        t.write(2920);
        t.expect(seg(ACK).seq(ISS + 1).len(1460)).expect(seg(ACK | PSH).seq(ISS + 1461).len(1460));
        // A hop with MTU 1000 dropped both: 1000 - 20 (IPv4) - 20 (TCP) = 960 octets per segment.
        assertTrue(t.conn.icmpPacketTooBig(1000, false, ISS + 1, t.nowNanos));
        assertEquals(960, t.conn.info().effectiveMss());
        t.expect(seg(ACK).seq(ISS + 1).len(960)).expect(seg(ACK).seq(ISS + 961).len(960));
        t.expect(seg(ACK).seq(ISS + 1921).len(960));
        // The 40-octet rest waits for the ACK (Nagle, RFC 9293 §3.7.4), as any runt would.
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2881)).expect(seg(ACK | PSH).seq(ISS + 2881).len(40));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2921));
        assertEquals(0, t.conn.info().timeouts());
    }

    @Test
    @DisplayName("RFC 5927 §4.1: a quoted sequence number outside SND.UNA..SND.MAX is ignored")
    void quotedSeqOutsideFlight() {
        t.write(100).expect(seg(ACK | PSH).seq(ISS + 1).len(100));
        assertFalse(t.conn.icmpPacketTooBig(600, false, ISS + 101, t.nowNanos));   // SND.MAX: never sent
        assertFalse(t.conn.icmpPacketTooBig(600, false, ISS - 5000, t.nowNanos));  // long acknowledged
        assertEquals(1460, t.conn.info().effectiveMss());
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 101));
    }

    @Test
    @DisplayName("the MSS never falls below the RFC minimum (536 for IPv4, 1220 for IPv6), nor rises")
    void floorsAndNoRise() {
        t.write(100).expect(seg(ACK | PSH).seq(ISS + 1).len(100));
        assertTrue(t.conn.icmpPacketTooBig(68, false, ISS + 1, t.nowNanos));
        assertEquals(536, t.conn.info().effectiveMss());
        t.expect(seg(ACK | PSH).seq(ISS + 1).len(100));
        assertFalse(t.conn.icmpPacketTooBig(1500, false, ISS + 1, t.nowNanos));
        assertEquals(536, t.conn.info().effectiveMss());
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 101));
    }

    @Test
    @DisplayName("IPv6: 1280 is the floor, 40 octets of IPv6 header")
    void ipv6() {
        t.write(100).expect(seg(ACK | PSH).seq(ISS + 1).len(100));
        assertTrue(t.conn.icmpPacketTooBig(1000, true, ISS + 1, t.nowNanos));
        assertEquals(1220, t.conn.info().effectiveMss());
        t.expect(seg(ACK | PSH).seq(ISS + 1).len(100));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 101));
    }
}
