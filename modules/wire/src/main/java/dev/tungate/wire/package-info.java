/**
 * Packets as bytes: IPv4, IPv6, TCP (with options), UDP and ICMP headers read and written in
 * place in Netty {@code ByteBuf}s; the Internet checksum; a pcap writer. No logging, no
 * threads, no allocation per packet.
 *
 * <h2>Theory of operation</h2>
 *
 * <p><b>Views, not objects.</b> {@link dev.tungate.wire.Ipv4Header}, {@link dev.tungate.wire.Ipv6Header},
 * {@link dev.tungate.wire.TcpHeader}, {@link dev.tungate.wire.UdpHeader} and
 * {@link dev.tungate.wire.IcmpHeader} are flyweights: a shard keeps one of each and re-wraps it for
 * every frame with {@code wrap(buf, offset, length)}. {@code wrap} checks every length the
 * accessors rely on and returns a {@link dev.tungate.wire.Drop} verdict ({@code NONE} = good);
 * after that, accessors read with absolute {@code getX(index)} and never fail. A view never
 * retains or releases its buffer and is valid only until the next wrap: it must not escape.
 * Nothing here throws on packet bytes; exceptions mean a programmer error (e.g. building a
 * datagram longer than 65535 bytes).
 *
 * <p><b>Receive path.</b> {@link dev.tungate.wire.IpPacket} wraps a TUN frame of either version,
 * verifies the IPv4 header checksum, walks IPv6 extension headers to the upper layer, and refuses
 * fragments (tungate does not reassemble); it then gives {@code protocol()}, {@code l4Offset()},
 * {@code l4Length()}, {@code ecn()} and {@code pseudoHeaderSum()}. The transport view is wrapped
 * at {@code l4Offset()} and checks its own checksum against that pseudo-header sum:
 * <pre>{@code
 * Drop d = ip.wrap(frame, frame.readerIndex(), frame.readableBytes());
 * if (d == Drop.NONE && ip.protocol() == IpPacket.TCP) {
 *     d = tcp.wrap(frame, ip.l4Offset(), ip.l4Length());
 *     if (d == Drop.NONE) d = tcp.verify(ip.pseudoHeaderSum());
 *     if (d == Drop.NONE) d = tcp.parseOptions(opts);   // opts: one TcpOptions per shard
 * }
 * if (d != Drop.NONE) { drops[d.ordinal()]++; frame.release(); return; }
 * }</pre>
 * When the TUN device runs with IFF_VNET_HDR and the kernel marks a frame DATA_VALID, the caller
 * may skip {@code verify}.
 *
 * <p><b>Transmit path.</b> {@link dev.tungate.wire.PacketBuilder} is a reusable template (addresses,
 * ports, seq/ack/flags/window, a {@link dev.tungate.wire.TcpOptions}) that appends a complete
 * datagram with checksums ({@code writeTcp}, {@code writeTcpHeaders} for a payload sent by
 * reference, {@code writeUdp}, {@code writeIcmp}). With {@code checksumOffload(true)} the TCP/UDP
 * checksum field holds the pseudo-header sum for the kernel to finish (virtio_net_hdr NEEDS_CSUM,
 * csum_start = {@code l4Offset()}). Setters on the views rewrite a field in place and update the
 * checksum incrementally (RFC 1624); do not use them on a packet whose checksum is left to offload.
 *
 * <p><b>Numbers.</b> Sequence numbers and IPv4 addresses are {@code int}s (unsigned in meaning; compare
 * sequence numbers only with the tcp module's Seq helper), ports and 16-bit fields are
 * non-negative {@code int}s, IPv6 addresses are two big-endian {@code long}s (hi = bytes 0..7).
 * {@link dev.tungate.wire.Checksum} works on {@code long} partial sums that callers add together
 * and fold once.
 *
 * <p><b>Seeing packets.</b> {@link dev.tungate.wire.PcapWriter} writes nanosecond pcap with
 * LINKTYPE_RAW (101), readable by tshark and Wireshark.
 *
 * <p>Start reading at {@code IpPacket}, then {@code TcpHeader}. References: RFC 791, RFC 8200,
 * RFC 9293 §3.1–3.2, RFC 7323, RFC 2018, RFC 768, RFC 792, RFC 4443, RFC 1071, RFC 1624.
 *
 * <p>Modules, one packet's path, threading and where each feature lives: docs/ARCHITECTURE.md.
 */
package dev.tungate.wire;
