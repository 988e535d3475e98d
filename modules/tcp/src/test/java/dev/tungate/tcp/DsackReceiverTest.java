package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.SYN;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 2883 D-SACK, receiver side: a duplicate segment is reported in the first SACK block")
class DsackReceiverTest {
    private final TcpHarness t = TcpHarness.established(new TcpConfig(), ISS, IRS, seg(SYN).mss(1460).sackPerm(true));

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("§4 (1): text below RCV.NXT draws an immediate ACK whose first block is the duplicate, reported once")
    void duplicateBelowRcvNxt() {
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).len(100));
        t.advanceMillis(40).expect(seg(ACK).seq(ISS + 1).ack(IRS + 101).sack());
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).len(100));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 101).sack(IRS + 1, IRS + 101));
        t.send(seg(ACK).seq(IRS + 101).ack(ISS + 1).len(100));
        t.advanceMillis(40).expect(seg(ACK).seq(ISS + 1).ack(IRS + 201).sack());
    }

    @Test
    @DisplayName("§4 (1): of a segment straddling RCV.NXT, only the part below it is the duplicate")
    void partialDuplicate() {
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).len(100));
        t.advanceMillis(40).expect(seg(ACK).ack(IRS + 101).sack());
        t.send(seg(ACK).seq(IRS + 51).ack(ISS + 1).len(100));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 151).sack(IRS + 51, IRS + 101));
    }

    @Test
    @DisplayName("§4 (3): a duplicate of held out-of-order data: the D-SACK block first, then the block holding it")
    void duplicateOfOutOfOrderData() {
        t.send(seg(ACK).seq(IRS + 101).ack(ISS + 1).len(100));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1).sack(IRS + 101, IRS + 201));
        t.send(seg(ACK).seq(IRS + 101).ack(ISS + 1).len(100));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1).sack(IRS + 101, IRS + 201, IRS + 101, IRS + 201));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).len(100));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 201).sack());
    }
}
