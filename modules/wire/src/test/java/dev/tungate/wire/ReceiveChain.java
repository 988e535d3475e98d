package dev.tungate.wire;

import io.netty.buffer.ByteBuf;

/**
 * The shard's receive chain over the wire views, for tests that feed it garbage: IP, then the
 * transport header and checksum, TCP options, and the IP packet quoted in an ICMP error.
 * Returns the verdict; never throws on packet bytes (that is what the callers prove).
 */
final class ReceiveChain {
    final IpPacket ip = new IpPacket();
    final TcpHeader tcp = new TcpHeader();
    final UdpHeader udp = new UdpHeader();
    final IcmpHeader icmp = new IcmpHeader();
    final TcpOptions opts = new TcpOptions();
    private final Ipv4Header v4 = new Ipv4Header();

    Drop receive(ByteBuf b, int len) {
        Drop d = ip.wrap(b, 0, len);
        if (d != Drop.NONE) {
            return d;
        }
        switch (ip.protocol()) {
            case IpPacket.TCP -> {
                d = tcp.wrap(b, ip.l4Offset(), ip.l4Length());
                if (d == Drop.NONE) {
                    d = tcp.verify(ip.pseudoHeaderSum());
                }
                // Options are parsed even after a bad checksum, to exercise the parser on garbage.
                Drop o = tcp.wrap(b, ip.l4Offset(), ip.l4Length()) == Drop.NONE ? tcp.parseOptions(opts) : Drop.NONE;
                return d == Drop.NONE ? o : d;
            }
            case IpPacket.UDP -> {
                d = udp.wrap(b, ip.l4Offset(), ip.l4Length());
                return d == Drop.NONE ? udp.verify(ip.pseudoHeaderSum(), ip.isIpv6()) : d;
            }
            case IpPacket.ICMP, IpPacket.ICMPV6 -> {
                d = icmp.wrap(b, ip.l4Offset(), ip.l4Length(), ip.isIpv6());
                if (d == Drop.NONE && icmp.isError()) {
                    ip.wrap(b, icmp.quotedOffset(), icmp.quotedLength()); // a quote may be anything
                    ip.wrap(b, 0, len);
                }
                return d == Drop.NONE ? icmp.verify(ip.pseudoHeaderSum()) : d;
            }
            default -> {
                return Drop.UNSUPPORTED_PROTOCOL;
            }
        }
    }

    /**
     * Makes the checksums of {@code b[0, len)} right where the structure allows (IPv4 header,
     * then TCP, UDP or ICMP), so mutated input reaches the checks behind them instead of stopping
     * at a 16-bit sum a mutator cannot guess. Fragments keep their checksums: there is no L4 header.
     */
    void fillChecksums(ByteBuf b, int len) {
        if (len > 0 && b.getUnsignedByte(0) >>> 4 == 4 && v4.wrap(b, 0, len) == Drop.NONE) {
            v4.fillChecksum();
        }
        if (ip.wrap(b, 0, len) != Drop.NONE) {
            return;
        }
        switch (ip.protocol()) {
            case IpPacket.TCP -> {
                if (tcp.wrap(b, ip.l4Offset(), ip.l4Length()) == Drop.NONE) {
                    tcp.fillChecksum(ip.pseudoHeaderSum());
                }
            }
            case IpPacket.UDP -> {
                if (udp.wrap(b, ip.l4Offset(), ip.l4Length()) == Drop.NONE) {
                    udp.fillChecksum(ip.pseudoHeaderSum());
                }
            }
            case IpPacket.ICMP, IpPacket.ICMPV6 -> {
                if (icmp.wrap(b, ip.l4Offset(), ip.l4Length(), ip.isIpv6()) == Drop.NONE) {
                    icmp.fillChecksum(ip.isIpv6() ? ip.pseudoHeaderSum() : 0);
                }
            }
            default -> { }
        }
    }
}
