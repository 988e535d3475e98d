package dev.tungate.gateway.stage;

import dev.tungate.gateway.emu.DropReason;
import dev.tungate.gateway.emu.ImpairProfile;
import dev.tungate.gateway.emu.Link;
import dev.tungate.gateway.emu.LinkCounters;
import dev.tungate.gateway.emu.Scope;
import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.shard.FrameStage;
import dev.tungate.gateway.shard.Shard;
import dev.tungate.tcp.Pinning;
import dev.tungate.tun.VirtioNetHdr;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One shard's emulation stage (see the package documentation). Single-threaded: the shard's loop.
 */
public final class EmuStage implements FrameStage {
    /** An entry idle this long (nothing seen, nothing held) is forgotten; its flow is re-resolved if it comes back. */
    private static final long IDLE_NANOS = 120_000_000_000L;
    private static final long SWEEP_MILLIS = 5_000;
    /**
     * Flows a shard tracks while profiles exist. The namespace makes one per 4-tuple it sends from
     * (before the handler refuses any), each up to a few KiB with its links: past this a new flow
     * passes unimpaired and is counted (Counters.stageUntracked) instead of growing the table.
     */
    static final int MAX_ENTRIES = 16_384;

    private final Shard shard;
    private final Impairments impairments;
    private final Map<FlowKey, Entry> entries = new HashMap<>();
    /** scope=rule: one link pair per profile name on this shard. */
    private final Map<String, Entry> shared = new HashMap<>();
    /** Counters of forgotten entries, per profile name: [up, down]. */
    private final Map<String, Tally[]> retired = new HashMap<>();
    private final List<Entry> busy = new ArrayList<>();
    private final FlowKey scratch = new FlowKey();
    private final IpPacket ipOut = new IpPacket();
    private final IcmpHeader icmp = new IcmpHeader();
    private final Segmenter segmenter = new Segmenter();
    private final ArrayDeque<ByteBuf> upFrames = new ArrayDeque<>(), downFrames = new ArrayDeque<>();
    private final Link.Sink upSink, downSink;
    private final Runnable release = this::release;
    private ScheduledFuture<?> timer;
    private long timerDue = Long.MAX_VALUE;
    private final ScheduledFuture<?> sweeper;

    /** A flow's (or, for scope=rule, a rule's) links and stream state. */
    static final class Entry {
        String name;
        final Link up, down;
        final Entry links;   // the entry whose links this flow uses (itself, or the shared rule entry)
        /** ctl impair flow: this flow's own profile (name is then "flow PEER-LOCAL"); null: the named profile's. */
        ImpairProfile own;
        long lastSeenNanos;
        boolean busy;
        /** Stream bytes counted by sequence: base (ISN + 1) and furthest end seen, per direction. */
        int upBase, downBase;
        boolean upBaseSet, downBaseSet, resetDone;
        long upBytes, downBytes;

        Entry(String name, Link up, Link down, Entry shared) {
            this.name = name;
            this.up = up;
            this.down = down;
            this.links = shared == null ? this : shared;
        }
    }

    public EmuStage(Shard shard, Impairments impairments) {
        this.shard = shard;
        this.impairments = impairments;
        this.upSink = shard::deliverUp;
        this.downSink = shard::writeDirect;
        this.sweeper = shard.loop().scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    // ---- up: namespace → outside --------------------------------------------------------------

    @Override
    public boolean up(ByteBuf frame, IpPacket ip, int gsoSize, boolean csumTrusted) {
        if (!key(frame, ip, true)) {
            return false;
        }
        Entry e = entry();
        if (e == null) {
            return false;
        }
        return impair(e, frame, ip, true, gsoSize, csumTrusted);
    }

    // ---- down: outside → namespace -------------------------------------------------------------

    @Override
    public boolean down(ByteBuf frame, int gsoType, int gsoSize, int csumStart, int csumOffset) {
        if (ipOut.wrap(frame, frame.readerIndex(), frame.readableBytes()) != Drop.NONE || !key(frame, ipOut, false)) {
            return false;
        }
        Entry e = entry();
        if (e == null) {
            return false;
        }
        return impair(e, frame, ipOut, false, gsoType == VirtioNetHdr.GSO_NONE ? 0 : gsoSize, csumOffset != 0);
    }

    /**
     * A frame of a flow with a profile, either direction: stream limits, then wire-sized segments
     * into that direction's link. Each direction has its own segment queue because a link may
     * deliver at once, and an up delivery can write down frames before the up queue is drained.
     */
    private boolean impair(Entry e, ByteBuf frame, IpPacket ip, boolean up, int mss, boolean csumPartial) {
        long now = shard.nowNanos();
        e.lastSeenNanos = now;
        if (ip.protocol() == IpPacket.TCP && streamLimit(e, frame, ip, up)) {
            frame.release();
            return true;
        }
        ArrayDeque<ByteBuf> frames = up ? upFrames : downFrames;
        if (!segmenter.split(frame, mss, csumPartial, shard.alloc(), frames)) {
            return true;
        }
        Link link = up ? e.links.up : e.links.down;
        Link.Sink sink = up ? upSink : downSink;
        for (ByteBuf f; (f = frames.poll()) != null; ) {
            link.offer(Pinning.compact(f), now, sink);   // a held ACK must not keep its 64 KiB read buffer
        }
        held(e.links);
        return true;
    }

    /** Fills {@link #scratch} with the frame's flow; false for frames of no flow (ICMP errors, fragments, short). */
    private boolean key(ByteBuf frame, IpPacket ip, boolean fromNamespace) {
        int protocol = ip.protocol();
        int l4 = ip.l4Offset();
        int srcPort, dstPort;
        if ((protocol == IpPacket.TCP || protocol == IpPacket.UDP) && ip.l4Length() >= 4) {
            srcPort = frame.getUnsignedShort(l4);
            dstPort = frame.getUnsignedShort(l4 + 2);
        } else if ((protocol == IpPacket.ICMP || protocol == IpPacket.ICMPV6)
                && icmp.wrap(frame, l4, ip.l4Length(), ip.isIpv6()) == Drop.NONE
                && (fromNamespace ? icmp.isEchoRequest() : icmp.isEchoReply())) {
            srcPort = fromNamespace ? icmp.echoId() : 0;
            dstPort = fromNamespace ? 0 : icmp.echoId();
        } else {
            return false;
        }
        if (fromNamespace) {
            scratch.fromNamespace(ip, srcPort, dstPort);
        } else {
            scratch.toNamespace(ip, srcPort, dstPort);
        }
        return true;
    }

    /** The flow's entry, made on its first frame (one policy lookup per flow); null when it has no profile. */
    private Entry entry() {
        Entry e = entries.get(scratch);
        if (e != null) {
            return e.name == null ? null : e;
        }
        if (entries.size() >= MAX_ENTRIES) {
            shard.counters().stageUntracked++;
            return null;
        }
        FlowKey k = scratch.copy();
        String name = impairments.nameFor(k.remoteAddress(), k.remotePort);
        ImpairProfile p = name == null ? null : impairments.profile(name);
        if (p == null) {
            e = new Entry(null, null, null, null);
        } else if (p.scope() == Scope.RULE) {
            Entry s = shared.computeIfAbsent(name, n -> new Entry(n,
                    new Link(p.up(), Link.flowSeed(p.seed(), n.hashCode(), false)),
                    new Link(p.down(), Link.flowSeed(p.seed(), n.hashCode(), true)), null));
            e = new Entry(name, null, null, s);
        } else {
            long h = k.hash64();
            e = new Entry(name, new Link(p.up(), Link.flowSeed(p.seed(), h, false)),
                    new Link(p.down(), Link.flowSeed(p.seed(), h, true)), null);
        }
        e.lastSeenNanos = shard.nowNanos();
        entries.put(k, e);
        return e.name == null ? null : e;
    }

    /**
     * reset-after=SIZE and limit-data=SIZE on a TCP flow, counted by sequence number (bytes the
     * namespace sent going up, bytes it received going down; retransmissions count once). True when
     * the frame must not pass: the flow has just been reset both ways.
     */
    private boolean streamLimit(Entry e, ByteBuf frame, IpPacket ip, boolean up) {
        int l4 = ip.l4Offset();
        int flags = frame.getUnsignedByte(l4 + TcpHeader.OFF_FLAGS);
        if (e.resetDone) {
            return (flags & TcpHeader.RST) == 0;   // the flow is cut: only the RSTs of the reset pass
        }
        ImpairProfile p = e.own != null ? e.own : impairments.profile(e.name);
        if (p == null || p.stream().isEmpty()) {
            return false;
        }
        var side = up ? p.stream().up() : p.stream().down();
        long limit = Math.min(positive(side.resetAfterBytes()), positive(side.limitDataBytes()));
        if (limit == Long.MAX_VALUE) {
            return false;
        }
        int seq = frame.getInt(l4 + TcpHeader.OFF_SEQ);
        int text = ip.l4Length() - ((frame.getUnsignedByte(l4 + TcpHeader.OFF_DATA_OFFSET) >>> 4) << 2);
        if ((flags & TcpHeader.SYN) != 0 || !(up ? e.upBaseSet : e.downBaseSet)) {
            int base = (flags & TcpHeader.SYN) != 0 ? seq + 1 : seq;
            if (up) {
                e.upBase = base;
                e.upBaseSet = true;
            } else {
                e.downBase = base;
                e.downBaseSet = true;
            }
        }
        long end = Integer.toUnsignedLong(seq + text - (up ? e.upBase : e.downBase));
        if (end > (1L << 31)) {
            return false;   // before the base (an old retransmission): nothing new
        }
        long bytes = Math.max(up ? e.upBytes : e.downBytes, end);
        if (up) {
            e.upBytes = bytes;
        } else {
            e.downBytes = bytes;
        }
        if (bytes <= limit) {
            return false;
        }
        e.resetDone = true;
        shard.resetFlow(IpPacket.TCP, scratch.copy());
        return true;
    }

    private static long positive(long v) {
        return v > 0 ? v : Long.MAX_VALUE;
    }

    // ---- release -------------------------------------------------------------------------------

    private void held(Entry links) {
        long due = Math.min(links.up.nextDueNanos(), links.down.nextDueNanos());
        if (due == Long.MAX_VALUE) {
            return;
        }
        if (!links.busy) {
            links.busy = true;
            busy.add(links);
        }
        arm(due);
    }

    private void arm(long due) {
        if (due >= timerDue) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerDue = due;
        timer = shard.loop().schedule(release, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Releases every frame due now, then re-arms for the next one. */
    private void release() {
        timer = null;
        timerDue = Long.MAX_VALUE;
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (int i = 0; i < busy.size(); i++) {
            Entry l = busy.get(i);
            try {
                l.up.poll(now, upSink);
                l.down.poll(now, downSink);
            } catch (RuntimeException | OutOfMemoryError e) {
                // As Shard.frameRead: a failing delivery must not leave the other links' frames unreleased.
                shard.counters().stageDeliveryFailures++;
            }
            long due = Math.min(l.up.nextDueNanos(), l.down.nextDueNanos());
            if (due == Long.MAX_VALUE) {
                l.busy = false;
                busy.set(i, busy.get(busy.size() - 1));
                busy.remove(busy.size() - 1);
                i--;
            } else {
                next = Math.min(next, due);
            }
        }
        shard.stageBatchComplete();
        if (next != Long.MAX_VALUE) {
            arm(next);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.lastSeenNanos - IDLE_NANOS >= 0 && !e.busy) {
                it.remove();
                if (e.name != null && e.links == e) {
                    tally(retired.computeIfAbsent(e.name, n -> new Tally[] {new Tally(), new Tally()}), e);
                    e.up.close();
                    e.down.close();
                }
            }
        }
    }

    // ---- control -------------------------------------------------------------------------------

    /** ctl impair set/clear: live links of {@code name} take the new profile (held frames keep their times). */
    public void profileChanged(String name, ImpairProfile p) {
        for (Entry e : entries.values()) {
            if (name.equals(e.name) && e.links == e && e.own == null) {
                e.up.profile(p.up());
                e.down.profile(p.down());
            }
        }
        Entry s = shared.get(name);
        if (s != null) {
            s.up.profile(p.up());
            s.down.profile(p.down());
        }
        entries.values().removeIf(e -> e.name == null);   // flows without a profile look again (the new one may apply)
    }

    /**
     * ctl impair flow: the live flow {@code k} gets its own links with {@code p}, other flows keep
     * theirs. A flow that already had its own links (scope=flow, or an earlier call) keeps them, with
     * their held frames and counters, now under {@code label}; one that shared a rule's links or had
     * none gets new ones (frames held in the shared link leave at their times). Stream counting goes on.
     */
    public void flowProfile(FlowKey k, String label, ImpairProfile p) {
        Entry e = entries.get(k);
        if (e != null && e.name != null && e.links == e) {
            e.up.profile(p.up());
            e.down.profile(p.down());
        } else {
            long h = k.hash64();
            Entry n = new Entry(label, new Link(p.up(), Link.flowSeed(p.seed(), h, false)),
                    new Link(p.down(), Link.flowSeed(p.seed(), h, true)), null);
            if (e != null) {
                n.upBase = e.upBase;
                n.downBase = e.downBase;
                n.upBaseSet = e.upBaseSet;
                n.downBaseSet = e.downBaseSet;
                n.resetDone = e.resetDone;
                n.upBytes = e.upBytes;
                n.downBytes = e.downBytes;
            }
            e = n;
            entries.put(k.copy(), e);
        }
        e.name = label;
        e.own = p;
        e.lastSeenNanos = shard.nowNanos();
    }

    /** Counters per profile name, [up, down]: live links plus forgotten ones; on the loop. */
    public Map<String, Tally[]> tallies() {
        Map<String, Tally[]> out = new HashMap<>();
        retired.forEach((n, t) -> out.put(n, new Tally[] {t[0].copy(), t[1].copy()}));
        for (Entry e : entries.values()) {
            if (e.name != null && e.links == e) {
                tally(out.computeIfAbsent(e.name, n -> new Tally[] {new Tally(), new Tally()}), e);
            }
        }
        shared.forEach((n, e) -> tally(out.computeIfAbsent(n, x -> new Tally[] {new Tally(), new Tally()}), e));
        return out;
    }

    private static void tally(Tally[] t, Entry e) {
        t[0].add(e.up.counters());
        t[1].add(e.down.counters());
    }

    @Override
    public void close() {
        sweeper.cancel(false);
        if (timer != null) {
            timer.cancel(false);
        }
        for (Entry e : entries.values()) {
            if (e.name != null && e.links == e) {
                e.up.close();
                e.down.close();
            }
        }
        for (Entry e : shared.values()) {
            e.up.close();
            e.down.close();
        }
        entries.clear();
    }

    /** Summed link counters of one profile and direction. */
    public static final class Tally {
        long passed, delayed, duplicated, reordered, corrupted, highWaterPackets, highWaterBytes;
        final long[] dropped = new long[DropReason.values().length];

        void add(LinkCounters c) {
            passed += c.passed();
            delayed += c.delayed();
            duplicated += c.duplicated();
            reordered += c.reordered();
            corrupted += c.corrupted();
            highWaterPackets = Math.max(highWaterPackets, c.highWaterPackets());
            highWaterBytes = Math.max(highWaterBytes, c.highWaterBytes());
            for (DropReason r : DropReason.values()) {
                dropped[r.ordinal()] += c.dropped(r);
            }
        }

        public void add(Tally t) {
            passed += t.passed;
            delayed += t.delayed;
            duplicated += t.duplicated;
            reordered += t.reordered;
            corrupted += t.corrupted;
            highWaterPackets = Math.max(highWaterPackets, t.highWaterPackets);
            highWaterBytes = Math.max(highWaterBytes, t.highWaterBytes);
            for (int i = 0; i < dropped.length; i++) {
                dropped[i] += t.dropped[i];
            }
        }

        Tally copy() {
            Tally t = new Tally();
            t.add(this);
            return t;
        }

        /** "passed=N delayed=N dropped=N (loss=N queue=N ...) duplicated=N reordered=N corrupted=N queue-high=Np/NB". */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("passed=").append(passed).append(" delayed=").append(delayed);
            long d = 0;
            StringBuilder why = new StringBuilder();
            for (DropReason r : DropReason.values()) {
                long n = dropped[r.ordinal()];
                d += n;
                if (n > 0) {
                    why.append(why.length() == 0 ? "" : " ").append(r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                            .append('=').append(n);
                }
            }
            b.append(" dropped=").append(d);
            if (why.length() > 0) {
                b.append(" (").append(why).append(')');
            }
            return b.append(" duplicated=").append(duplicated).append(" reordered=").append(reordered)
                    .append(" corrupted=").append(corrupted).append(" queue-high=").append(highWaterPackets).append("p/")
                    .append(highWaterBytes).append('B').toString();
        }
    }
}
