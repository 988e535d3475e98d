package dev.tungate.gateway.emu;

import dev.tungate.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import java.util.SplittableRandom;

/**
 * One direction's emulation stage: frames go in with {@link #offer}, come out through a
 * {@link Sink} at once, later (from {@link #poll}), or never (dropped, released and counted).
 * Single-threaded: every call on the owner's event loop, times from the owner's clock.
 *
 * <p>A frame meets its fates in netem's order (netem_enqueue()): syn-drop; duplicate and loss
 * (a duplicated packet that is also lost is sent once, as netem's {@code count = 1 + dup - loss});
 * corruption of the original (the duplicate is copied before it, as netem's clone is); then each
 * copy on its own: reorder (sent at once), the packet and byte limit (droptail), the bottleneck
 * queue (rate or trace, with CoDel if asked), the delay line, the slot gate.
 *
 * <pre>
 *  offer ─► syn-drop ─► dup/loss ─► corrupt ─► reorder? ──────────────────────────────► sink
 *                                                │ no
 *                                                ▼ limit (droptail)
 *                                     bottleneck FIFO ── CoDel, Server ──► delay line ── slot ─► sink
 *                                     (rate or trace)                     (HeldQueue)
 * </pre>
 *
 * With an empty profile and nothing held, {@code offer} hands the frame to the sink at once and
 * allocates nothing; with loss alone it draws one number and allocates nothing either.
 */
public final class Link {
    /** Receives frames the link lets through; the sink owns (and must release) what it gets. */
    public interface Sink {
        void deliver(ByteBuf frame);
    }

    private static final long DOWN_SALT = 0x6A09_E667_F3BC_C909L;

    private final LinkCounters counters = new LinkCounters();
    private final LossModel loss;
    private final CorrelatedRandom dupRnd, reorderRnd, corruptRnd;
    private final DelayModel delay;
    private final SlotGate slot;
    private final HeldQueue held = new HeldQueue();
    private final FrameFifo fifo = new FrameFifo();

    private DirectionProfile profile;
    private boolean passThrough;
    private RateShaper shaper;
    private TraceSchedule traceSchedule;
    private Trace trace;
    private Server server;
    private CoDel codel;
    /** netem's q->counter: packets since the last reordered one. */
    private int reorderCounter;
    private int synsDropped;
    private boolean closed;

    /**
     * @param flowSeed from {@link #flowSeed(long, long, boolean)}: each impairment draws from its
     *                 own stream split from it, so adding one impairment does not move another's fates
     */
    public Link(DirectionProfile profile, long flowSeed) {
        SplittableRandom root = new SplittableRandom(flowSeed);
        loss = new LossModel(new CorrelatedRandom(root.split(), 0));
        dupRnd = new CorrelatedRandom(root.split(), 0);
        reorderRnd = new CorrelatedRandom(root.split(), 0);
        corruptRnd = new CorrelatedRandom(root.split(), 0);
        delay = new DelayModel(new CorrelatedRandom(root.split(), 0));
        slot = new SlotGate(root.split());
        profile(profile);
    }

    /** The up link's seed of a flow: the profile's seed mixed with the hash of the flow's 4-tuple. */
    public static long flowSeed(long seed, long keyHash) {
        return mix64(seed ^ mix64(keyHash + 0x9E37_79B9_7F4A_7C15L));
    }

    /** As {@link #flowSeed(long, long)}, a different stream for the down link so the two directions are independent. */
    public static long flowSeed(long seed, long keyHash, boolean down) {
        long s = flowSeed(seed, keyHash);
        return down ? mix64(s ^ DOWN_SALT) : s;
    }

    /** MurmurHash3's fmix64 finaliser. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return z ^ (z >>> 33);
    }

    public DirectionProfile profile() {
        return profile;
    }

    /** Runtime change: held frames keep their due times; new frames meet the new profile. */
    public void profile(DirectionProfile p) {
        profile = p;
        passThrough = p.isEmpty();
        loss.spec(p.loss());
        dupRnd.correlation(p.duplicateCorrelation());
        reorderRnd.correlation(p.reorderCorrelation());
        corruptRnd.correlation(p.corruptCorrelation());
        delay.profile(p);
        slot.profile(p);
        if (p.trace() != null) {
            if (!p.trace().equals(trace)) {
                trace = p.trace();
                traceSchedule = new TraceSchedule(trace);
            }
            server = traceSchedule;
        } else {
            trace = null;
            traceSchedule = null;
            if (shaper == null) shaper = new RateShaper(p.rateBitsPerSecond(), p.overheadBytes());
            else shaper.rate(p.rateBitsPerSecond(), p.overheadBytes());
            server = shaper;   // rate 0: an infinitely fast server drains what a removed bottleneck held
        }
        if (p.queue() == DirectionProfile.Queue.CODEL) {
            if (codel == null) codel = new CoDel();
        } else {
            codel = null;
        }
    }

    public LinkCounters counters() {
        return counters;
    }

    /** Frames held now (bottleneck queue and delay line). */
    public int heldPackets() {
        return fifo.size() + held.size();
    }

    /** Bytes held now (readable bytes of the held frames). */
    public long heldBytes() {
        return fifo.bytes() + held.bytes();
    }

    /**
     * Takes ownership of {@code frame} (an IPv4/IPv6 packet, readerIndex at the IP header): delivers
     * it to {@code sink} now, holds it, or drops it (released and counted). Frames due by
     * {@code nowNanos} are released first, so order is kept.
     */
    public void offer(ByteBuf frame, long nowNanos, Sink sink) {
        if (closed) {
            frame.release();
            counters.drop(DropReason.CLOSED);
            return;
        }
        boolean holding = fifo.size() + held.size() != 0;
        if (holding) poll(nowNanos, sink);
        DirectionProfile p = profile;
        if (passThrough) {
            counters.passed++;
            sink.deliver(frame);
            return;
        }
        // Draws first, each from its own stream, so a packet's fates depend on its index alone.
        boolean syn = p.synDrop() != 0 && synsDropped < p.synDrop() && isSyn(frame);
        boolean dup = p.duplicate() != 0 && dupRnd.next() < p.duplicate();
        boolean lost = loss.lose();
        boolean corrupt = p.corrupt() != 0 && corruptRnd.next() < p.corrupt();
        if (syn) {
            synsDropped++;
            frame.release();
            counters.drop(DropReason.SYN_DROP);
            return;
        }
        if (lost && !dup) {
            frame.release();
            counters.drop(DropReason.LOSS);
            return;
        }
        ByteBuf copy = null;
        if (dup && !lost) {
            copy = frame.copy();   // a copy, not a retained duplicate: corruption or a later rewrite must not reach it
            counters.duplicated++;
        }
        if (corrupt) {
            frame = corrupt(frame);
            counters.corrupted++;
        }
        admit(frame, nowNanos, sink);
        if (copy != null) admit(copy, nowNanos, sink);
    }

    private void admit(ByteBuf frame, long nowNanos, Sink sink) {
        DirectionProfile p = profile;
        if (p.reorder() != 0 && reorderNow(p)) {
            counters.reordered++;
            counters.passed++;
            sink.deliver(frame);
            return;
        }
        if (!p.holds() && fifo.isEmpty()) {
            counters.passed++;
            sink.deliver(frame);
            return;
        }
        int len = frame.readableBytes();
        if (heldPackets() >= p.limitPackets() || heldBytes() + len > p.limitBytes()) {
            frame.release();
            counters.drop(DropReason.QUEUE);
            return;
        }
        if (p.hasBottleneck() || !fifo.isEmpty()) {
            // RFC 8289: an idle link found the queue empty, which ends a dropping state.
            if (codel != null && fifo.isEmpty() && server.nextStart(nowNanos) <= nowNanos) codel.onEmpty();
            fifo.add(frame, nowNanos);
            counters.delayed++;
            counters.held(heldPackets(), heldBytes());
            drain(nowNanos);
            return;
        }
        long due = nowNanos + delay.sampleNanos();
        if (due - nowNanos <= 0 && !slot.enabled()) {
            counters.passed++;
            sink.deliver(frame);
            return;
        }
        held.add(due, frame);
        counters.delayed++;
        counters.held(heldPackets(), heldBytes());
    }

    /**
     * netem_enqueue(): with a gap, once gap-1 packets went the normal way, the next is sent at once
     * with probability {@code reorder}; the counter restarts after it.
     */
    private boolean reorderNow(DirectionProfile p) {
        if (reorderCounter < p.gap() - 1 || reorderRnd.next() >= p.reorder()) {
            reorderCounter++;
            return false;
        }
        reorderCounter = 0;
        return true;
    }

    /** Moves every frame whose service has started by {@code nowNanos} from the bottleneck to the delay line. */
    private void drain(long nowNanos) {
        while (!fifo.isEmpty()) {
            long arrival = fifo.headArrivalNanos();
            long start = server.nextStart(arrival);
            if (start - nowNanos > 0) return;
            ByteBuf f = fifo.poll();
            if (codel != null && codel.drop(start, start - arrival, fifo.bytes())) {
                f.release();
                counters.drop(DropReason.CODEL);
                if (fifo.isEmpty()) codel.onEmpty();
                continue;
            }
            long finish = server.serve(arrival, f.readableBytes());
            held.add(finish + delay.sampleNanos(), f);
        }
    }

    /** Releases to {@code sink} every frame due at or before {@code nowNanos}. */
    public void poll(long nowNanos, Sink sink) {
        if (fifo.size() + held.size() == 0) return;
        if (!fifo.isEmpty()) drain(nowNanos);
        while (!held.isEmpty()) {
            long due = held.minDue();
            if (due - nowNanos > 0) return;
            if (slot.enabled()) {
                long t = slot.releaseTime(due);
                if (t - nowNanos > 0) return;
                ByteBuf f = held.poll();
                slot.sent(f.readableBytes(), t);
                counters.passed++;
                sink.deliver(f);
            } else {
                counters.passed++;
                sink.deliver(held.poll());
            }
        }
    }

    /** When {@link #poll} next has something to do; Long.MAX_VALUE when nothing is held. */
    public long nextDueNanos() {
        long next = Long.MAX_VALUE;
        if (!fifo.isEmpty()) next = server.nextStart(fifo.headArrivalNanos());
        if (!held.isEmpty()) {
            long due = held.minDue();
            if (slot.enabled()) due = slot.peekReleaseTime(due);
            if (due < next) next = due;
        }
        return next;
    }

    /** Releases every held frame; later offers are dropped ({@link DropReason#CLOSED}). */
    public void close() {
        closed = true;
        fifo.clear();
        held.clear();
    }

    /**
     * netem corrupts one random bit of a copy. We flip it past the IP header, in the transport
     * header or payload, which the receiver's TCP/UDP/ICMP checksum covers, so the receiving stack
     * drops it there (netem flips anywhere in the linear data, which can also hit the IP header).
     */
    private ByteBuf corrupt(ByteBuf frame) {
        ByteBuf c = frame.copy();
        frame.release();
        int n = c.readableBytes();
        if (n == 0) return c;
        int l4 = ipHeaderLength(c);
        if (l4 <= 0 || l4 >= n) l4 = 0;
        SplittableRandom raw = corruptRnd.raw();
        int at = c.readerIndex() + l4 + raw.nextInt(n - l4);
        c.setByte(at, c.getByte(at) ^ (1 << raw.nextInt(8)));
        return c;
    }

    /** IPv4 IHL * 4 (RFC 791 §3.1), IPv6 40 (RFC 8200 §3; extension headers count as payload); 0 if neither. */
    private static int ipHeaderLength(ByteBuf f) {
        int v = f.getUnsignedByte(f.readerIndex()) >>> 4;
        if (v == 4) return (f.getUnsignedByte(f.readerIndex()) & 0x0F) << 2;
        return v == 6 ? 40 : 0;
    }

    /** A TCP segment with SYN set (a first fragment only), read in place without a view. */
    private static boolean isSyn(ByteBuf f) {
        int ri = f.readerIndex(), n = f.readableBytes();
        if (n < 20) return false;
        int v = f.getUnsignedByte(ri) >>> 4;
        int proto;
        if (v == 4) {
            if ((f.getUnsignedShort(ri + 6) & 0x1FFF) != 0) return false;   // RFC 791: a later fragment has no TCP header
            proto = f.getUnsignedByte(ri + 9);
        } else if (v == 6 && n >= 40) {
            proto = f.getUnsignedByte(ri + 6);
        } else {
            return false;
        }
        int l4 = ipHeaderLength(f);
        if (proto != 6 || n < l4 + 14) return false;
        return (f.getUnsignedByte(ri + l4 + 13) & TcpHeader.SYN) != 0;   // RFC 9293 §3.1: flags at byte 13
    }
}
