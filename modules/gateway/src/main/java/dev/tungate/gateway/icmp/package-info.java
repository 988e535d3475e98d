/**
 * ICMP for the namespace: echo relayed through host ICMP sockets, and the ICMP errors tungate sends
 * in a destination's name.
 *
 * <p><b>Echo.</b> {@link dev.tungate.gateway.icmp.IcmpRelay} is the shard's ICMP/ICMPv6
 * {@code ProtocolHandler}. Each namespace echo conversation (source, destination, identifier) gets
 * one host socket connected to {@code Destinations.upstream(dst, 0, 1|58)}, opened through libc
 * ({@link dev.tungate.gateway.icmp.IcmpSocket}, jnr-ffi, because Netty has no ICMP socket) and put
 * on the shard's loop as an epoll {@code IoHandle} ({@link dev.tungate.gateway.icmp.EchoFlow}),
 * the same way the tun module puts a TUN queue there.
 *
 * <p>The first choice is the unprivileged ping socket ({@code SOCK_DGRAM, IPPROTO_ICMP}), allowed
 * when our gid is inside net.ipv4.ping_group_range (a per-namespace sysctl, "1 0" = nobody, by
 * default). The kernel then owns the echo identifier and the checksum: requests leave with the
 * socket's own identifier, and the relay restores the namespace's identifier in each reply. When
 * the kernel refuses ping sockets, the relay uses a raw socket (root or CAP_NET_RAW); the mode is
 * probed per family when the relay is built, so the first echo waits for nothing. A raw socket sends the namespace's message unchanged and hears every ICMP message from the
 * destination (IPv4 with its IP header), so it keeps only echo replies carrying the conversation's
 * identifier. tungate never changes the sysctl itself: it logs which mode it uses.
 *
 * <p><b>Errors.</b> {@link dev.tungate.gateway.icmp.IcmpErrors} writes port, host and protocol
 * unreachable and administratively prohibited (ICMPv6: the matching destination unreachable codes,
 * and parameter problem for an unknown next header), quoting the original datagram within the
 * RFC 1812 / RFC 4443 size limits, never where RFC 1122 §3.2.2 / RFC 4443 §2.4(e) forbid it, and
 * rate-limited like Linux. The UDP, ICMP and TCP relays each hold one, and
 * {@link dev.tungate.gateway.icmp.ProtocolUnreachable} (the shard's handler for transports nobody
 * relays) answers with it.
 *
 * <p><b>The path.</b> {@link dev.tungate.gateway.icmp.PathErrors} relays the ICMP errors routers behind
 * the gateway send about a flow's upstream packets: the TCP and UDP relays turn on IP_RECVERR /
 * IPV6_RECVERR, and when Netty reports the socket's error on the shard's loop the error queue is read
 * ({@link dev.tungate.gateway.icmp.ErrorQueue}, recvmsg MSG_ERRQUEUE through jnr-ffi; parsed by
 * {@link dev.tungate.gateway.icmp.SockExtendedErr}) and each message goes to the namespace from the
 * router, quoting the namespace's packet. {@link dev.tungate.gateway.icmp.HopLimit} makes the gateway a
 * hop: TTL 1 ends here (time exceeded from the gateway address), other packets leave with one less.
 * A frag-needed / packet-too-big from the namespace quoting one of tungate's TCP segments is handed to
 * the flow ({@link dev.tungate.gateway.icmp.IcmpRelay.TcpTooBig}), whose engine lowers its MSS.
 *
 * <p>Start reading at {@link dev.tungate.gateway.icmp.IcmpRelay#packetIn}; the whole picture is docs/ARCHITECTURE.md.
 */
package dev.tungate.gateway.icmp;
