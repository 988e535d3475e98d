package dev.tungate.tcp;

import dev.tungate.wire.TcpHeader;
import dev.tungate.wire.TcpOptions;
import io.netty.buffer.ByteBuf;

/**
 * One TCP segment as the engine sees it: header fields, parsed options and the text, without
 * addresses or ports (a connection knows its own 4-tuple). Mutable and reused: the gateway fills
 * one per shard from the wire views for each arriving segment, and the engine fills one of its
 * own for each segment it emits.
 *
 * <p>{@link #text} is borrowed: neither side retains or releases it through this object. On
 * arrival the engine retains what it keeps; on emit the output port copies or retains what it
 * needs before returning.
 */
public final class Segment {
    /** Flag bits in header order (RFC 9293 §3.1, RFC 3168 §6.1 for CWR and ECE). */
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20,
            ECE = 0x40, CWR = 0x80;
    /** ECN codepoints of the IP header (RFC 3168 §5): Not-ECT, ECT(1), ECT(0), CE. */
    public static final int NOT_ECT = 0, ECT_1 = 1, ECT_0 = 2, CE = 3;

    /** SEG.SEQ. */
    public int seq;
    /** SEG.ACK, meaningful when ACK is set. */
    public int ack;
    /** The eight flag bits. */
    public int flags;
    /** SEG.WND as carried on the wire (unscaled). */
    public int wnd;
    /** SEG.UP, meaningful when URG is set. */
    public int urgentPointer;
    /** The ECN field of the IP header this segment came or goes in (RFC 3168 §5: 0 not-ECT, 1/2 ECT, 3 CE). */
    public int ecn;
    /**
     * Segment size the kernel must cut an emitted super-segment into (TSO/GSO), or 0 when the text
     * fits one segment. On arrival: the gso_size the kernel reported, or 0.
     */
    public int gsoSize;
    public final TcpOptions options = new TcpOptions();
    /** The segment text; may be empty, never null while in use. Borrowed, see the class comment. */
    public ByteBuf text;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** SEG.LEN: text length plus one for SYN and one for FIN (RFC 9293 §3.4). */
    public int len() {
        return text.readableBytes() + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
    }

    /**
     * The header fields from a validated wire view: SEG.SEQ, SEG.ACK, flags, SEG.WND, SEG.UP. Options
     * ({@link TcpHeader#parseOptions}), ECN, gsoSize and the text are the caller's to set.
     */
    public Segment fill(TcpHeader th) {
        seq = th.seq();
        ack = th.ack();
        flags = th.flags();
        wnd = th.window();
        urgentPointer = th.urgentPointer();
        return this;
    }

    /** Everything of {@code s} but the text (which is borrowed, see the class comment). */
    public Segment copyFrom(Segment s) {
        seq = s.seq;
        ack = s.ack;
        flags = s.flags;
        wnd = s.wnd;
        urgentPointer = s.urgentPointer;
        ecn = s.ecn;
        gsoSize = s.gsoSize;
        options.copyFrom(s.options);
        return this;
    }
}
