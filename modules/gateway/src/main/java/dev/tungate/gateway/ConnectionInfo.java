package dev.tungate.gateway;

import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.tcp.TcpConnection;
import dev.tungate.tcp.TcpInfo;
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
        TcpInfo i = e.info();
        return new ConnectionInfo(state, new InetSocketAddress(k.remoteAddress(), k.remotePort),
                new InetSocketAddress(k.nsAddress(), k.nsPort), i.iss(), i.irs(), i.sndUna(), i.sndNxt(), i.rcvNxt(),
                Integer.toUnsignedLong(i.sndWnd()), Integer.toUnsignedLong(i.rcvWnd()), Integer.toUnsignedLong(i.cwnd()),
                i.srttNanos() / 1000, i.rtoNanos() / 1000, i.retransmits(), i.bytesAcked(), i.bytesReceived(), shard,
                upstream);
    }
}
