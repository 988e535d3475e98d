package dev.tungate.tcp;

import dev.tungate.wire.TcpOptions;

/** A copy of one segment the engine emitted (the engine's Segment is reused, its text borrowed). */
final class Emitted {
    final int seq;
    final int ack;
    final int flags;
    final int wnd;
    final int up;
    final int ecn;
    final int gsoSize;
    final byte[] text;
    final TcpOptions options = new TcpOptions();

    Emitted(Segment s) {
        seq = s.seq;
        ack = s.ack;
        flags = s.flags;
        wnd = s.wnd;
        up = s.urgentPointer;
        ecn = s.ecn;
        gsoSize = s.gsoSize;
        text = new byte[s.text.readableBytes()];
        s.text.getBytes(s.text.readerIndex(), text);
        options.copyFrom(s.options);
    }

    int len() {
        return text.length + ((flags & Segment.SYN) != 0 ? 1 : 0) + ((flags & Segment.FIN) != 0 ? 1 : 0);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("seg(").append(SegSpec.flagNames(flags)).append(")")
                .append(".seq(").append(Integer.toUnsignedString(seq)).append(")")
                .append(".ack(").append(Integer.toUnsignedString(ack)).append(")")
                .append(".wnd(").append(wnd).append(")");
        if (text.length > 0) {
            sb.append(".len(").append(text.length).append(")");
        }
        if (options.mss >= 0) {
            sb.append(".mss(").append(options.mss).append(")");
        }
        if (options.windowScale >= 0) {
            sb.append(".ws(").append(options.windowScale).append(")");
        }
        if (options.sackPermitted) {
            sb.append(".sackPerm(true)");
        }
        if (options.hasTimestamps) {
            sb.append(".ts(").append(Integer.toUnsignedString(options.tsVal)).append(", ")
                    .append(Integer.toUnsignedString(options.tsEcr)).append(")");
        }
        for (int i = 0; i < options.sackBlocks; i++) {
            sb.append(i == 0 ? ".sack(" : ", ").append(Integer.toUnsignedString(options.sackLeft[i])).append(", ")
                    .append(Integer.toUnsignedString(options.sackRight[i]));
        }
        if (options.sackBlocks > 0) {
            sb.append(")");
        }
        if (ecn != 0) {
            sb.append(".ecn(").append(ecn).append(")");
        }
        if (gsoSize != 0) {
            sb.append(".gso(").append(gsoSize).append(")");
        }
        return sb.toString();
    }
}
