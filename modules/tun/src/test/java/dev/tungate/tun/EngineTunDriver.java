package dev.tungate.tun;

import dev.tungate.tcp.Segment;
import dev.tungate.tcp.State;
import dev.tungate.tcp.TcpConfig;
import dev.tungate.tcp.TcpConnection;
import dev.tungate.tcp.TcpEvent;
import dev.tungate.tcp.TcpOutput;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.Ipv6Header;
import dev.tungate.wire.PacketBuilder;
import dev.tungate.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One TcpConnection wired to a TUN queue, for tests that use the Linux kernel as the TCP peer. Runs entirely on the
 * queue's event loop: frames are parsed with tungate-wire and fed to the engine as Segments; emitted Segments are built
 * into IPv4 packets and written to the TUN (with offload: partial checksums, and GSO frames for super-segments); timers
 * run on a 1 ms tick of the real clock. The engine sends {@code source} and closes by the rule the test picks; what it
 * delivers is hashed with SHA-256. Every state the engine passes through is recorded.
 */
final class EngineTunDriver implements TunFrameHandler, TcpOutput {
    private final TcpConnection engine;
    private final boolean offload;
    private final ByteBufAllocator alloc;
    /** IPv6 addresses as two longs; an IPv4 address is (0, a.b.c.d). */
    private final boolean v6;
    private final long localHi;
    private final long localLo;
    private final int localPort;
    private long remoteHi;
    private long remoteLo;
    private int remotePort;
    private final boolean closeAfterPeerFin;

    private final IpPacket ip = new IpPacket();
    private final TcpHeader tcp = new TcpHeader();
    private final Segment seg = new Segment();
    private final PacketBuilder out = new PacketBuilder();
    private final MessageDigest received;
    private final ByteBuf source;
    private TunQueueHandle handle;

    private long receivedBytes;
    private int pendingConsumed;
    private boolean peerFin;
    private boolean closeCalled;
    private int gsoFramesIn;
    private int gsoFramesOut;
    private int badFrames;
    private int writableEvents;
    private String failure;
    final List<State> states = new ArrayList<>();
    /** Events in order, WRITABLE left out (counted). */
    final List<TcpEvent> events = new ArrayList<>();
    /** Completes with the hex SHA-256 of everything delivered, when the engine reaches CLOSED. */
    final CompletableFuture<String> closed = new CompletableFuture<>();
    /** Completes when the engine enters FIN-WAIT-2. */
    final CompletableFuture<Void> finWait2 = new CompletableFuture<>();

    /**
     * @param closeAfterPeerFin false: close() as soon as source is queued (engine closes first); true: close() only
     *                          after the peer's FIN (kernel closes first)
     */
    EngineTunDriver(TcpConfig config, boolean offload, ByteBufAllocator alloc, InetAddress local, int localPort,
            byte[] source, boolean closeAfterPeerFin) {
        this.engine = new TcpConnection(config, this);
        this.offload = offload;
        this.alloc = alloc;
        this.v6 = local instanceof Inet6Address;
        this.localHi = hi(local);
        this.localLo = lo(local);
        this.localPort = localPort;
        this.source = Unpooled.wrappedBuffer(source);
        this.closeAfterPeerFin = closeAfterPeerFin;
        this.out.checksumOffload(offload);
        try {
            this.received = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        states.add(engine.state());
    }

    void attach(TunQueueHandle h) {
        this.handle = h;
    }

    /** Passive open on localAddr:localPort: the first SYN to it picks the peer. On the loop. */
    void listen(int iss) {
        engine.listen(iss);
        afterEngineCall(System.nanoTime());
    }

    /** Active open toward remote. On the loop. */
    void connect(int iss, InetAddress remote, int remotePort) {
        this.remoteHi = hi(remote);
        this.remoteLo = lo(remote);
        this.remotePort = remotePort;
        long now = System.nanoTime();
        engine.connect(iss, now);
        afterEngineCall(now);
    }

    /** The 1 ms timer tick. On the loop. */
    void tick() {
        long now = System.nanoTime();
        if (now - engine.nextDeadlineNanos() >= 0) {
            engine.onTimer(now);
        }
        afterEngineCall(now);
    }

    @Override
    public void frameRead(ByteBuf frame, VirtioNetHdr hdr) {
        try {
            segmentFrom(frame, hdr);
        } finally {
            frame.release();
        }
    }

    private void segmentFrom(ByteBuf frame, VirtioNetHdr hdr) {
        Drop d = ip.wrap(frame, frame.readerIndex(), frame.readableBytes());
        if (d != Drop.NONE || ip.isIpv6() != v6 || ip.protocol() != IpPacket.TCP || dstHi() != localHi
                || dstLo() != localLo) {
            badFrames++;                     // also IPv6 router solicitations and the like
            return;
        }
        d = tcp.wrap(frame, ip.l4Offset(), ip.l4Length());
        // With NEEDS_CSUM the checksum field holds only the pseudo-header sum: nothing to verify.
        if (d == Drop.NONE && !hdr.needsCsum() && (hdr.flags() & VirtioNetHdr.DATA_VALID) == 0) {
            d = tcp.verify(ip.pseudoHeaderSum());
        }
        if (d == Drop.NONE) {
            d = tcp.parseOptions(seg.options);
        }
        if (d != Drop.NONE || tcp.dstPort() != localPort) {
            badFrames++;
            return;
        }
        if (remotePort == 0) {
            if (!tcp.has(TcpHeader.SYN)) {
                badFrames++;
                return;
            }
            remoteHi = srcHi();
            remoteLo = srcLo();
            remotePort = tcp.srcPort();
        } else if (srcHi() != remoteHi || srcLo() != remoteLo || tcp.srcPort() != remotePort) {
            badFrames++;
            return;
        }
        if (hdr.gsoType() != VirtioNetHdr.GSO_NONE) {
            gsoFramesIn++;
        }
        seg.fill(tcp);
        seg.ecn = ip.ecn();
        seg.gsoSize = hdr.gsoSize();
        seg.text = frame.slice(tcp.payloadOffset(), tcp.payloadLength());
        long now = System.nanoTime();
        engine.segmentArrives(seg, now);
        seg.text = null;
        afterEngineCall(now);
    }

    @Override
    public void batchComplete() {
    }

    @Override
    public void emit(Segment s) {
        int len = s.text.readableBytes();
        if (v6) {
            out.ipv6(localHi, localLo, remoteHi, remoteLo);
        } else {
            out.ipv4((int) localLo, (int) remoteLo);
        }
        out.ports(localPort, remotePort).seq(s.seq).ack(s.ack).flags(s.flags)
                .window(s.wnd).urgentPointer(s.urgentPointer).tos(s.ecn).options(s.options);
        ByteBuf frame = alloc.directBuffer(out.ipHeaderLength() + out.tcpHeaderLength() + len);
        out.writeTcp(frame, s.text, s.text.readerIndex(), len);
        boolean gso = s.gsoSize > 0 && len > s.gsoSize;
        if (gso && !offload) {
            frame.release();
            fail("engine emitted a " + len + "-byte super-segment without offload");
            return;
        }
        if (gso) {
            gsoFramesOut++;
        }
        if (offload) {
            handle.write(frame, !gso ? VirtioNetHdr.GSO_NONE : v6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4, gso ? s.gsoSize : 0,
                    out.l4Offset(), TcpHeader.OFF_CHECKSUM);
        } else {
            handle.write(frame, VirtioNetHdr.GSO_NONE, 0, 0, 0);
        }
    }

    @Override
    public void deliver(ByteBuf data) {
        int n = data.readableBytes();
        received.update(data.nioBuffer());
        receivedBytes += n;
        pendingConsumed += n;
        data.release();
    }

    @Override
    public void event(TcpEvent event) {
        if (event == TcpEvent.WRITABLE) {
            writableEvents++;
            return;
        }
        events.add(event);
        if (event == TcpEvent.PEER_FIN) {
            peerFin = true;
        }
    }

    /** After every engine entry: report consumption, keep the sender fed, close by the rule, record the state. */
    private void afterEngineCall(long now) {
        recordState();                       // before acting on it: close() would hide CLOSE-WAIT
        if (pendingConsumed > 0) {
            int n = pendingConsumed;
            pendingConsumed = 0;
            engine.consumed(n, now);
        }
        State st = engine.state();
        if (st.synchronizedState() && st != State.TIME_WAIT) {
            while (source.isReadable() && engine.sendSpace() > 0 && !closeCalled) {
                int taken = engine.send(source.slice(), now);   // the engine may move a view's indices: not ours
                if (taken <= 0) {
                    break;
                }
                source.skipBytes(taken);
            }
            if (!source.isReadable() && !closeCalled && (!closeAfterPeerFin || peerFin)) {
                closeCalled = true;
                engine.close(now);
            }
        }
        recordState();
        if (engine.state() == State.CLOSED && states.size() > 1 && !closed.isDone()) {
            closed.complete(failure != null ? "FAILED: " + failure : hex(received.digest()));
        }
    }

    private void recordState() {
        State st = engine.state();
        if (states.get(states.size() - 1) != st) {
            states.add(st);
            if (st == State.FIN_WAIT_2) {
                finWait2.complete(null);
            }
        }
    }

    private void fail(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    private long srcHi() {
        return v6 ? ip.v6().srcHi() : 0;
    }

    private long srcLo() {
        return v6 ? ip.v6().srcLo() : ip.v4().src() & 0xffff_ffffL;
    }

    private long dstHi() {
        return v6 ? ip.v6().dstHi() : 0;
    }

    private long dstLo() {
        return v6 ? ip.v6().dstLo() : ip.v4().dst() & 0xffff_ffffL;
    }

    private static long hi(InetAddress a) {
        return a instanceof Inet6Address ? Ipv6Header.hi(a.getAddress()) : 0;
    }

    private static long lo(InetAddress a) {
        return a instanceof Inet6Address ? Ipv6Header.lo(a.getAddress())
                : ByteBuffer.wrap(a.getAddress()).getInt(0) & 0xffff_ffffL;
    }

    State state() {
        return engine.state();
    }

    String progress() {
        return "engine " + engine.state() + " states=" + states + " events=" + events + " writable=" + writableEvents + " sent="
                + (source.readerIndex()) + "/" + source.capacity() + " received=" + receivedBytes
                + " retransmits=" + engine.info().retransmits() + " fastRetransmits=" + engine.info().fastRetransmits()
                + " timeouts=" + engine.info().timeouts() + " srttUs=" + engine.info().srttNanos() / 1000 + " cwnd=" + engine.info().cwnd()
                + " gsoIn=" + gsoFramesIn + " gsoOut=" + gsoFramesOut + " ignoredFrames=" + badFrames
                + (handle == null ? "" : " tunRead=" + handle.framesRead() + " tunWritten=" + handle.framesWritten()
                + " writeDrops=" + handle.writeDrops()) + (failure == null ? "" : " failure=" + failure);
    }

    int gsoFramesIn() {
        return gsoFramesIn;
    }

    int gsoFramesOut() {
        return gsoFramesOut;
    }

    static String hex(byte[] digest) {
        StringBuilder sb = new StringBuilder();
        for (byte b : digest) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
