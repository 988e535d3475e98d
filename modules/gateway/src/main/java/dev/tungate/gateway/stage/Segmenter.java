package dev.tungate.gateway.stage;

import dev.tungate.wire.Checksum;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.TcpHeader;
import dev.tungate.wire.UdpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;

/**
 * Software GSO for impaired flows: a TCP super-segment becomes segments of at most {@code mss}
 * bytes of text (seq advanced, FIN/PSH only on the last, CWR only on the first, IPv4 ID counted
 * up, lengths and every checksum complete, as Linux's tcp_gso_segment does); a single packet gets
 * its offloaded TCP or UDP checksum completed in place. Single-threaded (the shard's loop).
 */
final class Segmenter {
    private final IpPacket ip = new IpPacket();
    private final TcpHeader th = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();

    /**
     * Appends to {@code out} the frames {@code frame} becomes (takes ownership of it); {@code mss}
     * 0 splits nothing. {@code completeChecksum}: the L4 checksum is partial (offload) or must be
     * recomputed. Returns false (frame released) when the frame is not a valid IP packet.
     */
    boolean split(ByteBuf frame, int mss, boolean completeChecksum, ByteBufAllocator alloc, ArrayDeque<ByteBuf> out) {
        if (ip.wrap(frame, frame.readerIndex(), frame.readableBytes()) != Drop.NONE) {
            frame.release();
            return false;
        }
        int protocol = ip.protocol();
        int l4 = ip.l4Offset();
        if (protocol == IpPacket.TCP && th.wrap(frame, l4, ip.l4Length()) == Drop.NONE) {
            int hdr = th.payloadOffset() - frame.readerIndex();
            int text = th.payloadLength();
            if (mss > 0 && text > mss) {
                segment(frame, hdr, text, mss, alloc, out);
                frame.release();
                return true;
            }
            if (completeChecksum) {
                th.fillChecksum(ip.pseudoHeaderSum());
            }
        } else if (protocol == IpPacket.UDP && completeChecksum && udp.wrap(frame, l4, ip.l4Length()) == Drop.NONE) {
            udp.fillChecksum(ip.pseudoHeaderSum());
        }
        out.add(frame);
        return true;
    }

    private void segment(ByteBuf frame, int hdr, int text, int mss, ByteBufAllocator alloc, ArrayDeque<ByteBuf> out) {
        int start = frame.readerIndex();
        int l4Rel = ip.l4Offset() - start;
        int flags = th.flags();
        int seq = th.seq();
        boolean v4 = ip.isIpv4();
        int id = v4 ? ip.v4().identification() : 0;
        for (int off = 0, i = 0; off < text; off += mss, i++) {
            int n = Math.min(mss, text - off);
            ByteBuf s = alloc.directBuffer(hdr + n);
            s.writeBytes(frame, start, hdr).writeBytes(frame, start + hdr + off, n);
            int f = flags;
            if (off + n < text) {
                f &= ~(TcpHeader.FIN | TcpHeader.PSH);
            }
            if (i > 0) {
                f &= ~TcpHeader.CWR;
            }
            s.setByte(l4Rel + TcpHeader.OFF_FLAGS, f);
            s.setInt(l4Rel + TcpHeader.OFF_SEQ, seq + off);
            if (v4) {
                s.setShort(2, hdr + n);
                s.setShort(4, id + i);
                s.setShort(10, 0);
                s.setShort(10, Checksum.compute(s, 0, l4Rel));
            } else {
                s.setShort(4, hdr + n - 40);
            }
            // The header values above were read before the loop, so the views may move to the segment.
            if (ip.wrap(s, 0, s.readableBytes()) == Drop.NONE && th.wrap(s, ip.l4Offset(), ip.l4Length()) == Drop.NONE) {
                th.fillChecksum(ip.pseudoHeaderSum());
            }
            out.add(s);
        }
    }
}
