package dev.tungate.gateway;

import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.tcp.TcpConnection;
import java.net.InetSocketAddress;

/**
 * One connection as {@code tungate ctl conns} shows it, like a line of {@code ss -tani}: taken on
 * the owning shard's loop, immutable afterwards. Sequence numbers are raw 32-bit values (print
 * them with {@link Integer#toUnsignedString}).
 *
 * @param state    RFC 9293 state name, or SYN_HELD while the client's SYN waits for the upstream connect
 * @param local    the destination the client dialled, which tungate plays
 * @param peer     the client inside the namespace
 * @param upstream the host-side address actually contacted (differs for the gateway and DNS addresses)
 */
public record ConnectionInfo(String state, InetSocketAddress local, InetSocketAddress peer, int iss, int irs,
        int sndUna, int sndNxt, int rcvNxt, long sndWnd, long rcvWnd, long cwnd, long srttMicros, long rtoMicros,
        long retransmits, long bytesAcked, long bytesReceived, int shard, InetSocketAddress upstream) {

    public static ConnectionInfo of(FlowKey k, String state, TcpConnection e, int shard, InetSocketAddress upstream) {
        return new ConnectionInfo(state, new InetSocketAddress(k.remoteAddress(), k.remotePort),
                new InetSocketAddress(k.nsAddress(), k.nsPort), e.iss(), e.irs(), e.sndUna(), e.sndNxt(), e.rcvNxt(),
                Integer.toUnsignedLong(e.sndWnd()), Integer.toUnsignedLong(e.rcvWnd()), Integer.toUnsignedLong(e.cwnd()),
                e.srttNanos() / 1000, e.rtoNanos() / 1000, e.retransmits(), e.bytesAcked(), e.bytesReceived(), shard,
                upstream);
    }
}
