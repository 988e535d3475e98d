package dev.tungate.gateway.tcp;

import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.shard.ShardContext;
import dev.tungate.tcp.Segment;
import dev.tungate.tun.VirtioNetHdr;
import dev.tungate.wire.PacketBuilder;
import dev.tungate.wire.TcpHeader;
import io.netty.buffer.ByteBuf;

/**
 * Turns the engine's emitted segments into IP packets on the shard's TUN queue. One per shard;
 * allocates only the pooled direct buffer each packet is written into.
 *
 * <p>With offload every packet carries NEEDS_CSUM (the kernel completes the TCP checksum from the
 * pseudo-header sum PacketBuilder leaves in the field), and a segment with more text than its
 * gsoSize goes out as one TSO super-segment (gso TCPV4/TCPV6) that the namespace's stack takes
 * whole, as it would a GRO'd packet. Without offload each packet is complete and one MSS long.
 */
final class TcpEmitter {
    private final ShardContext shard;
    private final boolean offload;
    private final PacketBuilder pb = new PacketBuilder();

    TcpEmitter(ShardContext shard, boolean offload) {
        this.shard = shard;
        this.offload = offload;
        pb.checksumOffload(offload);
    }

    /** Writes {@code s} from the key's remote side to its namespace side. {@code s} is only read. */
    void emit(FlowKey k, Segment s) {
        ByteBuf text = s.text;
        int textLen = text == null ? 0 : text.readableBytes();
        if (k.v4) {
            pb.ipv4(k.remote4(), k.ns4());
        } else {
            pb.ipv6(k.remoteHi, k.remoteLo, k.nsHi, k.nsLo);
        }
        pb.tos(s.ecn).ports(k.remotePort, k.nsPort).seq(s.seq).ack(s.ack).flags(s.flags).window(s.wnd)
                .urgentPointer(s.urgentPointer).options(s.options);
        int size = pb.ipHeaderLength() + pb.tcpHeaderLength() + textLen;
        ByteBuf out = shard.alloc().directBuffer(size, size);
        pb.writeTcp(out, text, textLen == 0 ? 0 : text.readerIndex(), textLen);
        int gsoType = VirtioNetHdr.GSO_NONE;
        int gsoSize = 0;
        if (offload && s.gsoSize > 0 && textLen > s.gsoSize) {
            gsoType = k.v4 ? VirtioNetHdr.GSO_TCPV4 : VirtioNetHdr.GSO_TCPV6;
            gsoSize = s.gsoSize;
        }
        shard.writeFrame(out, gsoType, gsoSize, offload ? pb.l4Offset() : 0, offload ? TcpHeader.OFF_CHECKSUM : 0);
    }
}
