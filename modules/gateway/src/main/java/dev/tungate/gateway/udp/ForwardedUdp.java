package dev.tungate.gateway.udp;

import dev.tungate.gateway.shard.FlowKey;
import io.netty.buffer.ByteBuf;

/**
 * Datagrams from the namespace that answer a forwarded host client ({@code gateway/forward}): looked up
 * before a new NAT binding would open for them, so a server's reply goes back to the host client that
 * the forward let in rather than out to the client's address as a new flow. Called on any shard's loop.
 */
public interface ForwardedUdp {
    /** True when {@code k} (a namespace datagram's key) is a forwarded client's; its payload was sent there. Does not take ownership. */
    boolean replyIn(FlowKey k, ByteBuf packet, int payloadOffset, int len);
}
