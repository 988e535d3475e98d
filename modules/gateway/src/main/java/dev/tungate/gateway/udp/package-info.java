/**
 * UDP for the namespace: a per-flow NAT onto host datagram sockets.
 *
 * <p><b>What it owns.</b> {@link dev.tungate.gateway.udp.UdpRelay} is the shard's UDP
 * {@code ProtocolHandler}. Each namespace (source address:port, destination address:port) gets one
 * {@link dev.tungate.gateway.udp.UdpFlow}: an epoll datagram channel on the shard's loop,
 * connected to {@code Destinations.upstream(dst, port, 17)} (the gateway address becomes host
 * loopback). Because the socket is connected, the kernel filters answers to that one peer and
 * reports the peer's ICMP port unreachable as ECONNREFUSED, which Netty raises as
 * {@code PortUnreachableException} and the relay turns back into ICMP port unreachable for the
 * namespace (RFC 1122 §4.1.3.3), quoting the last datagram the flow sent.
 *
 * <p><b>Answers</b> are built with wire's {@code PacketBuilder} as if they came from the destination
 * the namespace addressed (IPv4 or IPv6 + UDP, checksums filled) and go to {@code writeToTun}.
 *
 * <p><b>Invariants.</b> Everything runs on the shard's loop; the table is a {@code HashMap} probed
 * with one reused mutable {@link dev.tungate.gateway.shard.FlowKey} (the one flow key of TCP, UDP
 * and ICMP), so a datagram of a known flow
 * allocates nothing but its retained slice. A connect completes asynchronously even on the loop,
 * so the first datagrams wait in a per-flow queue, copied out of the TUN read buffer and bounded in
 * bytes (256 KiB per flow, 4 MiB per shard; beyond it dropped and counted in {@code udpSetupDrops}).
 * Bindings close after
 * {@code DEFAULT_IDLE_NANOS} (60 s) idle, flows to port 53 after 10 s; new flows beyond the limit
 * are dropped and counted ({@code udpFlowLimitDrops}); refused destinations answer ICMP
 * administratively prohibited.
 *
 * <p><b>DNS.</b> Datagrams to the namespace's DNS address on port 53 create no binding: they go to
 * the {@code dns} package's forwarder, which the relay owns (ticks and closes).
 *
 * <p>Start reading at {@link dev.tungate.gateway.udp.UdpRelay#packetIn}; the whole picture is docs/ARCHITECTURE.md.
 */
package dev.tungate.gateway.udp;
