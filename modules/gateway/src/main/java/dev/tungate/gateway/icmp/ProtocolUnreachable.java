package dev.tungate.gateway.icmp;

import dev.tungate.gateway.shard.Counters;
import dev.tungate.gateway.shard.ProtocolHandler;
import dev.tungate.gateway.shard.ShardContext;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IpPacket;
import io.netty.buffer.ByteBuf;

/**
 * The shard's handler for a transport nobody relays (and for UDP or ICMP when their relay is
 * off): RFC 1122 §3.2.2.1 / RFC 4443 §3.4, tell the sender this protocol is not spoken here.
 */
public final class ProtocolUnreachable implements ProtocolHandler {
    private final Counters counters;
    private final IcmpErrors errors;

    public ProtocolUnreachable(ShardContext ctx) {
        this.counters = ctx.counters();
        this.errors = new IcmpErrors(ctx);
    }

    @Override
    public void packetIn(ByteBuf packet, IpPacket ip, int gsoSize, boolean csumTrusted) {
        counters.protoUnreachable++;
        counters.drops[Drop.UNSUPPORTED_PROTOCOL.ordinal()]++;
        errors.protocolUnreachable(packet, ip.version());
        packet.release();
    }

    @Override
    public void close() {
    }
}
