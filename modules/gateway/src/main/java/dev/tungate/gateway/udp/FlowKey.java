package dev.tungate.gateway.udp;

import dev.tungate.gateway.config.Addresses;
import dev.tungate.wire.PacketBuilder;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;

/**
 * A namespace flow's addresses: version, source and destination address, source and destination
 * port (or ICMP echo identifier). IPv4 addresses live in the low 32 bits of {@code srcLo}/{@code dstLo}.
 *
 * <p>Mutable so that one probe per relay can be {@link #set} from each packet and looked up without
 * allocating; the table stores {@link #copy()}s, which are never changed again.
 */
public final class FlowKey {
    private int version;
    private long srcHi, srcLo, dstHi, dstLo;
    private int srcPort, dstPort;

    /**
     * Reads the addresses from the IP header at {@code packet.readerIndex()} and takes the ports
     * as given (UDP ports, or an echo identifier and 0).
     */
    public FlowKey set(ByteBuf packet, int ipVersion, int srcPort, int dstPort) {
        int ip = packet.readerIndex();
        version = ipVersion;
        if (ipVersion == 4) {
            srcHi = 0;
            dstHi = 0;
            srcLo = packet.getUnsignedInt(ip + 12);
            dstLo = packet.getUnsignedInt(ip + 16);
        } else {
            srcHi = packet.getLong(ip + 8);
            srcLo = packet.getLong(ip + 16);
            dstHi = packet.getLong(ip + 24);
            dstLo = packet.getLong(ip + 32);
        }
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        return this;
    }

    public FlowKey copy() {
        FlowKey k = new FlowKey();
        k.version = version;
        k.srcHi = srcHi;
        k.srcLo = srcLo;
        k.dstHi = dstHi;
        k.dstLo = dstLo;
        k.srcPort = srcPort;
        k.dstPort = dstPort;
        return k;
    }

    public int version() { return version; }
    public int src4() { return (int) srcLo; }
    public int dst4() { return (int) dstLo; }
    public long srcHi() { return srcHi; }
    public long srcLo() { return srcLo; }
    public long dstHi() { return dstHi; }
    public long dstLo() { return dstLo; }
    public int srcPort() { return srcPort; }
    public int dstPort() { return dstPort; }

    /** Sets {@code b}'s addresses for a packet back to the namespace: from the destination to the source. */
    public PacketBuilder replyAddresses(PacketBuilder b) {
        return version == 4 ? b.ipv4(dst4(), src4()) : b.ipv6(dstHi, dstLo, srcHi, srcLo);
    }

    /** The destination as an InetAddress, for Destinations and sockets (allocates: once per flow). */
    public InetAddress dstAddress() { return address(dstHi, dstLo); }

    public InetAddress srcAddress() { return address(srcHi, srcLo); }

    private InetAddress address(long hi, long lo) {
        return Addresses.of(version == 4, hi, lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && k.version == version && k.srcLo == srcLo && k.dstLo == dstLo
                && k.srcHi == srcHi && k.dstHi == dstHi && k.srcPort == srcPort && k.dstPort == dstPort;
    }

    @Override
    public int hashCode() {
        long h = srcLo * 0x9E37_79B9_7F4A_7C15L ^ dstLo * 0xC2B2_AE3D_27D4_EB4FL ^ srcHi * 31 ^ dstHi
                ^ ((long) srcPort << 16 | dstPort) * 0x1656_67B1_9E37_79F9L ^ version;
        return (int) (h ^ h >>> 32);
    }

    @Override
    public String toString() {
        return srcAddress().getHostAddress() + ":" + srcPort + " > " + dstAddress().getHostAddress() + ":" + dstPort;
    }
}
