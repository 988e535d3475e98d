package dev.tungate.gateway.shard;

import dev.tungate.gateway.config.AddressText;
import dev.tungate.gateway.config.Addresses;
import dev.tungate.tcp.table.ConnectionTable;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.PacketBuilder;
import java.net.InetAddress;

/**
 * A flow's addresses, one layout for TCP, UDP and ICMP echo: 128-bit addresses with IPv4 mapped
 * into IPv6 (::ffff:a.b.c.d, as the connection table keys them), and two 16-bit ports (for ICMP
 * echo: the identifier and 0). The "ns" side is the program in the namespace; the "remote" side is
 * the destination it dialled, which tungate impersonates.
 *
 * <p>Mutable so that a handler can fill one scratch key per packet ({@link #fromNamespace}) and look
 * it up without allocating; tables store {@link #copy()}s, which are never changed again.
 */
public final class FlowKey {
    public boolean v4;
    public long nsHi, nsLo, remoteHi, remoteLo;
    public int nsPort, remotePort;

    /** Sets an IPv4 tuple from raw addresses. */
    public FlowKey v4(int ns, int nsPort, int remote, int remotePort) {
        return set(true, 0, ConnectionTable.mappedV4Lo(ns), nsPort, 0, ConnectionTable.mappedV4Lo(remote), remotePort);
    }

    public FlowKey v6(long nsHi, long nsLo, int nsPort, long remoteHi, long remoteLo, int remotePort) {
        return set(false, nsHi, nsLo, nsPort, remoteHi, remoteLo, remotePort);
    }

    /** A packet from the namespace, parsed into {@code ip}: its source is the ns side. */
    public FlowKey fromNamespace(IpPacket ip, int srcPort, int dstPort) {
        return ip.isIpv4() ? v4(ip.v4().src(), srcPort, ip.v4().dst(), dstPort)
                : v6(ip.v6().srcHi(), ip.v6().srcLo(), srcPort, ip.v6().dstHi(), ip.v6().dstLo(), dstPort);
    }

    /** A packet toward the namespace, parsed into {@code ip}: its destination is the ns side. */
    public FlowKey toNamespace(IpPacket ip, int srcPort, int dstPort) {
        return ip.isIpv4() ? v4(ip.v4().dst(), dstPort, ip.v4().src(), srcPort)
                : v6(ip.v6().dstHi(), ip.v6().dstLo(), dstPort, ip.v6().srcHi(), ip.v6().srcLo(), srcPort);
    }

    public FlowKey set(boolean v4, long nsHi, long nsLo, int nsPort, long remoteHi, long remoteLo, int remotePort) {
        this.v4 = v4;
        this.nsHi = nsHi;
        this.nsLo = nsLo;
        this.nsPort = nsPort;
        this.remoteHi = remoteHi;
        this.remoteLo = remoteLo;
        this.remotePort = remotePort;
        return this;
    }

    public FlowKey set(FlowKey k) {
        return set(k.v4, k.nsHi, k.nsLo, k.nsPort, k.remoteHi, k.remoteLo, k.remotePort);
    }

    public FlowKey copy() {
        return new FlowKey().set(this);
    }

    /** 4 or 6. */
    public int version() {
        return v4 ? 4 : 6;
    }

    /** The IPv4 address of the namespace side; meaningful when {@link #v4}. */
    public int ns4() {
        return (int) nsLo;
    }

    public int remote4() {
        return (int) remoteLo;
    }

    public InetAddress nsAddress() {
        return address(nsHi, nsLo);
    }

    public InetAddress remoteAddress() {
        return address(remoteHi, remoteLo);
    }

    private InetAddress address(long hi, long lo) {
        return Addresses.of(v4, hi, lo);
    }

    /** Sets {@code b}'s addresses for a packet back to the namespace: from the remote side to the ns side. */
    public PacketBuilder replyAddresses(PacketBuilder b) {
        return v4 ? b.ipv4(remote4(), ns4()) : b.ipv6(remoteHi, remoteLo, nsHi, nsLo);
    }

    /** A well-mixed 64-bit hash of the tuple (the same for both directions of a flow). */
    public long hash64() {
        long h = nsLo * 0x9E37_79B9_7F4A_7C15L ^ remoteLo * 0xC2B2_AE3D_27D4_EB4FL ^ nsHi * 31 ^ remoteHi
                ^ ((long) nsPort << 16 | remotePort) * 0x1656_67B1_9E37_79F9L ^ (v4 ? 4 : 6);
        h ^= h >>> 29;
        h *= 0xBF58_476D_1CE4_E5B9L;
        return h ^ h >>> 32;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && k.v4 == v4 && k.nsLo == nsLo && k.remoteLo == remoteLo && k.nsHi == nsHi
                && k.remoteHi == remoteHi && k.nsPort == nsPort && k.remotePort == remotePort;
    }

    @Override
    public int hashCode() {
        long h = hash64();
        return (int) (h ^ h >>> 32);
    }

    /** "10.0.2.100:40312 > 10.0.2.2:80", the namespace side first. */
    @Override
    public String toString() {
        return endpoint(nsAddress(), nsPort) + " > " + endpoint(remoteAddress(), remotePort);
    }

    public static String endpoint(InetAddress a, int port) {
        return v6Bracket(a) + ":" + port;
    }

    private static String v6Bracket(InetAddress a) {
        String s = AddressText.of(a);
        return s.indexOf(':') >= 0 ? "[" + s + "]" : s;
    }
}
