package dev.tungate.gateway.forward;

import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.shard.HostLoopback;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The flow key of a forwarded host client: the namespace side is NSADDR:NSPORT (the namespace's own
 * address of the client's family when the spec gives none), the remote side is the client as the
 * namespace's server sees it: its real address and port, except that a client on the host's loopback
 * (127.0.0.0/8, ::1) appears as the gateway address, since a loopback source cannot arrive on the
 * TUN device, and a client of the other family than NSADDR appears as the gateway address of
 * NSADDR's family (one packet has one family). Replies then route back through the TUN device.
 */
final class ClientKeys {
    private final InetAddress address4, address6, gateway4, gateway6;
    private final boolean ipv6;

    ClientKeys(GatewayConfig c) {
        this.address4 = c.address;
        this.address6 = c.address6;
        this.gateway4 = c.gateway;
        this.gateway6 = c.gateway6;
        this.ipv6 = c.ipv6;
    }

    /** The namespace's address a client of this family is forwarded to when NSADDR is not given. */
    InetAddress nsAddress(InetAddress nsAddr, InetAddress client) {
        if (nsAddr != null) {
            return nsAddr;
        }
        return client instanceof Inet4Address || !ipv6 ? address4 : address6;
    }

    FlowKey key(InetSocketAddress client, InetAddress nsAddr, int nsPort) {
        InetAddress c = client.getAddress();
        InetAddress ns = nsAddress(nsAddr, c);
        boolean v4 = ns instanceof Inet4Address;
        InetAddress src = HostLoopback.reaches(c) || (c instanceof Inet4Address) != v4 ? (v4 ? gateway4 : gateway6) : c;
        if (v4) {
            return new FlowKey().v4(ByteBuffer.wrap(ns.getAddress()).getInt(), nsPort,
                    ByteBuffer.wrap(src.getAddress()).getInt(), client.getPort());
        }
        ByteBuffer n = ByteBuffer.wrap(ns.getAddress());
        ByteBuffer s = ByteBuffer.wrap(src.getAddress());
        return new FlowKey().v6(n.getLong(), n.getLong(), nsPort, s.getLong(), s.getLong(), client.getPort());
    }
}
