package dev.tungate.gateway.udp;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.UnknownHostException;

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

    /** The destination as an InetAddress, for Destinations and sockets (allocates: once per flow). */
    public InetAddress dstAddress() { return address(dstHi, dstLo); }

    public InetAddress srcAddress() { return address(srcHi, srcLo); }

    private InetAddress address(long hi, long lo) {
        byte[] a = new byte[version == 4 ? 4 : 16];
        if (version == 4) {
            putInt(a, 0, (int) lo);
        } else {
            putInt(a, 0, (int) (hi >>> 32));
            putInt(a, 4, (int) hi);
            putInt(a, 8, (int) (lo >>> 32));
            putInt(a, 12, (int) lo);
        }
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);   // only thrown for a bad array length
        }
    }

    private static void putInt(byte[] a, int at, int v) {
        a[at] = (byte) (v >>> 24);
        a[at + 1] = (byte) (v >>> 16);
        a[at + 2] = (byte) (v >>> 8);
        a[at + 3] = (byte) v;
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
