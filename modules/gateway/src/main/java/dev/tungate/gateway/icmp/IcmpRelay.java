package dev.tungate.gateway.icmp;

import dev.tungate.gateway.shard.Counters;
import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.shard.Refusal;
import dev.tungate.gateway.shard.ProtocolHandler;
import dev.tungate.gateway.shard.ShardContext;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.Ipv4Header;
import dev.tungate.wire.Ipv6Header;
import dev.tungate.wire.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * ICMP echo (RFC 792) and ICMPv6 echo (RFC 4443 §4) for one shard, relayed through host ICMP
 * sockets. See the package documentation for the theory of operation.
 */
public final class IcmpRelay implements ProtocolHandler {
    private static final Logger log = LogManager.getLogger();
    /** How a family's echo requests leave the host. */
    public enum Mode { PING, RAW, UNAVAILABLE }

    /** Echo conversations per shard; echoes that would open more are dropped and counted in icmpIgnored. */
    static final int MAX_FLOWS = 1024;
    /** A conversation idle this long is closed (ping sends every second; `ping -i 30` still fits). */
    static final long IDLE_NANOS = 60_000_000_000L;
    private static final int SCRATCH = 65536;

    private final ShardContext ctx;
    private final IoEventLoop loop;
    private final Counters counters;
    private final IcmpErrors errors;
    private final HopLimit hops;
    /** Where an ICMP too-big quoting one of our TCP segments goes (the flow's owner shard); null: ignored. */
    private final TcpTooBig tooBig;
    private final Map<FlowKey, EchoFlow> flows = new HashMap<>();
    private final FlowKey probe = new FlowKey();
    private final IcmpHeader icmp = new IcmpHeader();
    private final PacketBuilder builder = new PacketBuilder();
    /** Indexed by IP version 4 or 6, probed at construction. */
    private final Mode[] modes = new Mode[7];
    private ByteBuf scratch;

    /** An ICMP fragmentation needed / packet too big from the namespace about a TCP segment tungate sent. */
    @FunctionalInterface
    public interface TcpTooBig {
        /** {@code key}: the flow (a copy, the quoted 4-tuple reversed); on the loop that read the ICMP. */
        void packetTooBig(FlowKey key, int mtu, int quotedSeq);
    }

    public IcmpRelay(ShardContext ctx) {
        this(ctx, null);
    }

    public IcmpRelay(ShardContext ctx, TcpTooBig tooBig) {
        if (!(ctx.loop() instanceof IoEventLoop l) || !l.isCompatible(EchoFlow.class)) {
            throw new IllegalArgumentException("IcmpRelay needs an IoEventLoop with the epoll IoHandler, got " + ctx.loop());
        }
        this.ctx = ctx;
        this.loop = l;
        this.counters = ctx.counters();
        this.errors = new IcmpErrors(ctx);
        this.hops = new HopLimit(ctx, errors);
        this.tooBig = tooBig;
        modes[4] = detect(4, ctx.shardIndex() == 0);
        modes[6] = detect(6, ctx.shardIndex() == 0);
    }

    /**
     * A ping socket when our gid is inside net.ipv4.ping_group_range, else a raw socket when we
     * may (root or CAP_NET_RAW), else none. Probed once, in the namespace of the constructing
     * thread, so the first echo waits for nothing; tungate never changes the sysctl itself.
     */
    private static Mode detect(int ipVersion, boolean report) {
        boolean v6 = ipVersion == 6;
        int ping = IcmpSocket.probe(v6, false);
        if (ping == 0) {
            return Mode.PING;
        }
        int raw = IcmpSocket.probe(v6, true);
        Mode mode = raw == 0 ? Mode.RAW : Mode.UNAVAILABLE;
        if (report && raw == 0) {
            log.debug("icmp: ICMPv{} ping sockets are not allowed for our gid (net.ipv4.ping_group_range = {}): {}; using raw sockets",
                    ipVersion, pingGroupRange(), IcmpSocket.describe(ping));
        } else if (report) {
            log.warn("icmp: no ICMPv{} echo relay: ping socket: {}, raw socket: {}; allow ping sockets with"
                    + " sysctl net.ipv4.ping_group_range='0 2147483647'", ipVersion, IcmpSocket.describe(ping), IcmpSocket.describe(raw));
        }
        return mode;
    }

    @Override
    public void packetIn(ByteBuf packet, IpPacket ip, int gsoSize, boolean csumTrusted) {
        try {
            int ipVersion = ip.version();
            int l4Offset = ip.l4Offset();
            int l4Length = ip.l4Length();
            Drop d = icmp.wrap(packet, l4Offset, l4Length, ipVersion == 6);
            if (d == Drop.NONE) {
                d = icmp.verify(ip.isIpv6() ? ip.pseudoHeaderSum() : 0);   // ICMP has no checksum offload
            }
            if (d != Drop.NONE) {
                counters.drops[d.ordinal()]++;
                return;
            }
            if (!icmp.isEchoRequest()) {
                // Replies, and errors about anything but our TCP segments' size, answer nothing tungate
                // sent: RFC 1122 §3.2.2 lets us drop them.
                if (icmp.mtu() <= 0 || !tcpTooBig(packet, ipVersion)) {
                    counters.icmpIgnored++;
                }
                return;
            }
            if (hops.expires(packet, ip)) {
                return;
            }
            long nowNanos = ctx.nowNanos();
            EchoFlow flow = flows.get(probe.fromNamespace(ip, icmp.echoId(), 0));
            if (flow == null) {
                flow = open(packet, ipVersion, nowNanos);
                if (flow == null) {
                    return;
                }
            }
            flow.lastActiveNanos = nowNanos;
            counters.icmpEchoes++;
            boolean sent;
            if (packet.isDirect()) {
                sent = flow.send(packet, l4Offset, l4Length);
            } else {
                ByteBuf s = scratch();
                s.setBytes(0, packet, l4Offset, l4Length);
                sent = flow.send(s, 0, l4Length);
            }
            // The kernel refused the echo at once (no route, filtered): the destination is unreachable from here.
            if (!sent && errors.hostUnreachable(packet, ipVersion)) {
                counters.icmpErrors++;
            }
        } finally {
            packet.release();
        }
    }

    /**
     * A frag-needed / packet-too-big (its MTU is {@code icmp.mtu()}) quoting a TCP segment from the
     * namespace's peer, that is from tungate: handed to the flow (RFC 5927 checks happen there).
     * The quote must hold the IP header and the TCP ports and sequence number; IPv6 without
     * extension headers. False when it quotes anything else.
     */
    private boolean tcpTooBig(ByteBuf packet, int ipVersion) {
        int q = icmp.quotedOffset();
        int end = q + icmp.quotedLength();
        int tcp;
        if (tooBig == null || q >= end) {
            return false;
        }
        if (ipVersion == 4) {
            tcp = q + ((packet.getUnsignedByte(q) & 0x0F) << 2);
            if (packet.getUnsignedByte(q) >>> 4 != 4 || tcp < q + Ipv4Header.MIN_LENGTH || tcp + 8 > end
                    || packet.getUnsignedByte(q + Ipv4Header.OFF_PROTOCOL) != IpPacket.TCP) {
                return false;
            }
            probe.v4(packet.getInt(q + Ipv4Header.OFF_DST), packet.getUnsignedShort(tcp + 2),
                    packet.getInt(q + Ipv4Header.OFF_SRC), packet.getUnsignedShort(tcp));
        } else {
            tcp = q + Ipv6Header.LENGTH;
            if (packet.getUnsignedByte(q) >>> 4 != 6 || tcp + 8 > end
                    || packet.getUnsignedByte(q + Ipv6Header.OFF_NEXT_HEADER) != IpPacket.TCP) {
                return false;
            }
            probe.v6(packet.getLong(q + Ipv6Header.OFF_DST), packet.getLong(q + Ipv6Header.OFF_DST + 8), packet.getUnsignedShort(tcp + 2),
                    packet.getLong(q + Ipv6Header.OFF_SRC), packet.getLong(q + Ipv6Header.OFF_SRC + 8), packet.getUnsignedShort(tcp));
        }
        tooBig.packetTooBig(probe.copy(), icmp.mtu(), packet.getInt(tcp + 4));
        return true;
    }

    /** A socket for the conversation in {@link #probe}, or null (refused, limit, or no ICMP socket allowed). */
    private EchoFlow open(ByteBuf packet, int ipVersion, long nowNanos) {
        InetAddress dst = probe.remoteAddress();
        Refusal no = ctx.destinations().refusal(dst, 0, ipVersion == 4 ? 1 : 58);
        if (no != null) {
            counters.refuse(no);   // a silent refusal (blackhole) answers nothing, as behind a dropping firewall
            if (no.answered() && errors.adminProhibited(packet, ipVersion)) {
                counters.icmpErrors++;
            }
            return null;
        }
        InetSocketAddress upstream = ctx.destinations().upstream(dst, 0, ipVersion == 4 ? 1 : 58);
        if (flows.size() >= MAX_FLOWS) {
            counters.icmpIgnored++;
            return null;
        }
        int fd = socket(upstream.getAddress(), ipVersion);
        if (fd < 0) {
            counters.icmpIgnored++;
            return null;
        }
        EchoFlow flow = new EchoFlow(this, probe.copy(), fd, modes[ipVersion] == Mode.RAW, nowNanos);
        flows.put(flow.key, flow);
        loop.register(flow).addListener(f -> {
            if (f.isSuccess()) {
                flow.registered((IoRegistration) f.getNow());
            } else {
                log.warn("icmp {}: cannot register the socket on the loop: {}", flow.key, f.cause().toString());
                close(flow);
            }
        });
        return flow;
    }

    /** A socket of the family's mode connected to upstream, or -1 (mode UNAVAILABLE, or the kernel refused). */
    private int socket(InetAddress upstream, int ipVersion) {
        Mode mode = modes[ipVersion];
        if (mode == Mode.UNAVAILABLE) {
            return -1;
        }
        try {
            return IcmpSocket.open(upstream, mode == Mode.RAW);
        } catch (IcmpSocket.Failure e) {
            log.warn("icmp: {}", e.getMessage());
            return -1;
        }
    }

    /** net.ipv4.ping_group_range as the kernel shows it, for the log line. */
    private static String pingGroupRange() {
        // Files.readAllBytes trusts the size procfs reports and returns one byte here; a stream reads to EOF.
        try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/sys/net/ipv4/ping_group_range")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** How the family's echoes are relayed. */
    public Mode mode(int ipVersion) {
        return modes[ipVersion];
    }

    /**
     * {@code len} bytes the flow's socket returned in {@code buf} from index 0: an ICMP message,
     * after an IPv4 header on a raw IPv4 socket. An echo reply goes to the namespace from the
     * conversation's destination with the namespace's identifier restored (a ping socket's reply
     * carries the identifier the kernel chose, RFC 792 "Identifier").
     */
    void replyIn(EchoFlow flow, ByteBuf buf, int len) {
        FlowKey k = flow.key;
        int off = 0;
        if (flow.raw && k.v4) {
            off = (buf.getUnsignedByte(0) & 0x0F) << 2;
        }
        if (len - off < IcmpHeader.LENGTH) {
            return;
        }
        icmp.wrap(buf, off, len - off, !k.v4);
        // A raw socket hears every ICMP message from the destination: keep only replies to this conversation.
        if (!icmp.isEchoReply() || flow.raw && icmp.echoId() != k.nsPort) {
            return;
        }
        flow.lastActiveNanos = ctx.nowNanos();
        int ipLength = k.v4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH;
        int body = len - off - IcmpHeader.LENGTH;
        if (body > 0xFFFF - IcmpHeader.LENGTH - (k.v4 ? ipLength : 0)) {
            return;
        }
        ByteBuf out = ctx.alloc().directBuffer(ipLength + IcmpHeader.LENGTH + body);
        k.replyAddresses(builder).writeIcmp(out, icmp.type(), icmp.code(), k.nsPort << 16 | icmp.echoSeq(), buf, off + IcmpHeader.LENGTH, body);
        ctx.writeToTun(out);
    }

    void sendFailed(EchoFlow flow, IOException e) {
        log.debug("icmp {}: send failed: {}", flow.key, e.getMessage());
    }

    void readFailed(EchoFlow flow, IOException e) {
        log.debug("icmp {}: socket error: {}", flow.key, e.getMessage());
    }

    /** A direct buffer for reads (and for writes from heap packets), shared by this shard's flows. */
    ByteBuf scratch() {
        if (scratch == null) {
            scratch = ctx.alloc().directBuffer(SCRATCH, SCRATCH);
        }
        return scratch;
    }

    @Override
    public void tick(long nowNanos) {
        for (Iterator<EchoFlow> it = flows.values().iterator(); it.hasNext(); ) {
            EchoFlow f = it.next();
            if (nowNanos - f.lastActiveNanos - IDLE_NANOS >= 0) {
                it.remove();
                f.close();
            }
        }
    }

    private void close(EchoFlow flow) {
        flows.remove(flow.key);
        flow.close();
    }

    /** Open echo conversations (for tests). */
    public int flowCount() {
        return flows.size();
    }

    @Override
    public void close() {
        for (EchoFlow f : flows.values()) {
            f.close();
        }
        flows.clear();
        if (scratch != null) {
            scratch.release();
            scratch = null;
        }
    }
}
