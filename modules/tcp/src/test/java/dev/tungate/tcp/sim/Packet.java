package dev.tungate.tcp.sim;

import dev.tungate.tcp.Segment;
import dev.tungate.wire.TcpOptions;

/** A segment on the emulated wire: a copy of what an engine emitted, immutable once made. */
final class Packet {
    final int seq;
    final int ack;
    final int flags;
    final int wnd;
    final int urgentPointer;
    /** ECN field of the IP header (RFC 3168 §5); the link may turn ECT into CE. */
    final int ecn;
    /** gso_size of a super-segment handed over whole (as GRO would give it to the gateway), else 0. */
    final int gsoSize;
    final TcpOptions options = new TcpOptions();
    final byte[] text;

    private Packet(Segment s, int offset, int length, int flags, int ecn, int gsoSize) {
        seq = s.seq + offset;
        ack = s.ack;
        this.flags = flags;
        wnd = s.wnd;
        urgentPointer = s.urgentPointer;
        this.ecn = ecn;
        this.gsoSize = gsoSize;
        options.copyFrom(s.options);
        text = new byte[length];
        s.text.getBytes(s.text.readerIndex() + offset, text);
    }

    private Packet(Packet p, int ecn) {
        seq = p.seq;
        ack = p.ack;
        flags = p.flags;
        wnd = p.wnd;
        urgentPointer = p.urgentPointer;
        this.ecn = ecn;
        this.gsoSize = p.gsoSize;
        options.copyFrom(p.options);
        text = p.text;
    }

    /**
     * Copies {@code s}, which is only valid during {@code TcpOutput.emit} (see {@link Segment}). A
     * super-segment stays whole, keeping its gso_size, as the kernel hands a GSO packet to a TUN
     * reader with IFF_VNET_HDR.
     */
    static Packet copyOf(Segment s) {
        return new Packet(s, 0, s.text.readableBytes(), s.flags, s.ecn, s.text.readableBytes() > s.gsoSize ? s.gsoSize : 0);
    }

    /**
     * Cuts a super-segment ({@code gsoSize > 0}) as the kernel's TSO/GSO does: consecutive pieces
     * of gsoSize bytes with the same header; FIN and PSH stay on the last piece, CWR on the first.
     */
    static int split(Segment s, Packet[] into) {
        int total = s.text.readableBytes();
        int n = 0;
        for (int off = 0; off < total; off += s.gsoSize) {
            int len = Math.min(s.gsoSize, total - off);
            boolean last = off + len == total;
            int flags = s.flags;
            if (!last) {
                flags &= ~(Segment.FIN | Segment.PSH);
            }
            if (off > 0) {
                flags &= ~Segment.CWR;
            }
            into[n++] = new Packet(s, off, len, flags, s.ecn, 0);
        }
        return n;
    }

    /** This packet with its ECN field set to CE (RFC 3168 §5: a router marks instead of dropping). */
    Packet congestionExperienced() {
        return new Packet(this, 3);
    }

    /** Bytes on the wire: IPv4 and TCP headers (options included) plus the text. */
    int wireBytes() {
        return 40 + (options.hasTimestamps ? 12 : 0) + options.sackBlocks * 8 + text.length;
    }

    /** Fills the receiver's reusable segment; the text buffer is set by the caller. */
    void fill(Segment s) {
        s.seq = seq;
        s.ack = ack;
        s.flags = flags;
        s.wnd = wnd;
        s.urgentPointer = urgentPointer;
        s.ecn = ecn;
        s.gsoSize = gsoSize;
        s.options.copyFrom(options);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        String[] names = {"F", "S", "R", "P", ".", "U", "E", "C"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                b.append(names[bit]);
            }
        }
        b.append(" seq=").append(Integer.toUnsignedString(seq));
        if ((flags & Segment.ACK) != 0) {
            b.append(" ack=").append(Integer.toUnsignedString(ack));
        }
        b.append(" len=").append(text.length).append(" win=").append(wnd);
        if (ecn == 3) {
            b.append(" CE");
        }
        if (gsoSize > 0) {
            b.append(" gso=").append(gsoSize);
        }
        for (int i = 0; i < options.sackBlocks; i++) {
            b.append(" sack=").append(Integer.toUnsignedString(options.sackLeft[i])).append('-')
                    .append(Integer.toUnsignedString(options.sackRight[i]));
        }
        return b.toString();
    }
}
