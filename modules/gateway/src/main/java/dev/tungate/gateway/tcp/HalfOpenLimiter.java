package dev.tungate.gateway.tcp;

import java.util.HashMap;

/**
 * Bounds a shard's half-open flows: from the client's SYN (held while the upstream connect runs)
 * until ESTABLISHED. Each holds an upstream socket (an fd, a kernel socket) and a flow's memory,
 * so a SYN flood that is not bounded here runs the process out of fds in seconds (issue 8: 20,000
 * fds in 11-14 s, the control socket starved for good). Policy, after Linux's request-socket queue:
 *
 * <ul>
 * <li><b>cap</b> ({@link #capacity}): a new SYN at the cap evicts the <em>oldest</em> half-open
 *     flow, so a flood cannot lock new clients out; its young entries are the cheapest to lose,
 *     but the oldest ones are the flood's (a real client's handshake completes in a round trip);
 * <li><b>per-source fairness</b>: one source (an IPv4 address, an IPv6 /64) holds at most
 *     {@link #perSource} slots; its next SYN evicts its own oldest, not someone else's;
 * <li><b>shortened SYN-ACK retries under pressure</b>: once half the slots are taken, a half-open
 *     flow older than {@link #pressureAgeNanos} (the first SYN-ACK retransmission, 1 s) is dropped,
 *     as Linux prunes a request queue more than half full (inet_csk_reqsk_queue_prune), instead of
 *     keeping its socket through ~1 min of SYN-ACK retries. Pressure lasts {@link #PRESSURE_HOLD_NANOS}
 *     after the last time half the slots were taken, so a flood's leftovers go within about a
 *     second of its end rather than lingering at half the cap.
 * </ul>
 *
 * <p>Why not SYN cookies: a cookie lets a server answer a SYN with no state and rebuild the
 * connection from the returning ACK. tungate mirrors the handshake: the SYN-ACK is sent only once
 * the upstream connect has succeeded (a refused port answers RST, an unreachable host ICMP), so a
 * SYN cannot be answered before state exists, and the upstream socket is that state. Cookies as is
 * would mean accepting every SYN and connecting upstream only at the third ACK, which breaks
 * mirroring (the client would see "connected" then a reset for a closed port). Bounding the state
 * and evicting the oldest, as here, gives a flood the same cost ceiling without that change.
 *
 * <p>Entries are kept in arrival order twice (all, and per source), as intrusive lists: admit,
 * done and evict are O(1). On the shard's loop only.
 */
final class HalfOpenLimiter {
    /** A half-open flow as the limiter sees it. */
    interface Member {
        /** Drop this flow now (closing its upstream socket); it calls {@link #done} itself. */
        void evict(long nowNanos);
    }

    /** One half-open flow's place in both lists; the flow keeps it to report {@link #done}. */
    static final class Entry {
        private final Member member;
        private final long source;
        private final long sinceNanos;
        private Entry prev, next, srcPrev, srcNext;
        private Source src;

        private Entry(Member member, long source, long sinceNanos) {
            this.member = member;
            this.source = source;
            this.sinceNanos = sinceNanos;
        }
    }

    private static final class Source {
        Entry head, tail;
        int size;
    }

    /** How long pressure lasts after occupancy was last at half the cap or more. */
    static final long PRESSURE_HOLD_NANOS = 10_000_000_000L;
    private final int capacity;
    private long pressureUntil = Long.MIN_VALUE / 2;
    private final int perSource;
    private final long pressureAgeNanos;
    private final HashMap<Long, Source> sources = new HashMap<>();
    private Entry head, tail;
    private int size;

    HalfOpenLimiter(int capacity, int perSource, long pressureAgeNanos) {
        this.capacity = capacity;
        this.perSource = perSource;
        this.pressureAgeNanos = pressureAgeNanos;
    }

    int size() {
        return size;
    }

    /**
     * Makes room for one more half-open flow from {@code source} (evicting as the policy says),
     * then adds it. Returns its entry, to give back to {@link #done}.
     */
    Entry admit(Member m, long source, long nowNanos) {
        expire(nowNanos);
        Source s = sources.get(source);
        if (s != null && s.size >= perSource) {
            evict(s.head, nowNanos);
        } else if (size >= capacity) {
            evict(head, nowNanos);
        }
        s = sources.computeIfAbsent(source, k -> new Source());
        Entry e = new Entry(m, source, nowNanos);
        e.src = s;
        e.prev = tail;
        if (tail == null) {
            head = e;
        } else {
            tail.next = e;
        }
        tail = e;
        e.srcPrev = s.tail;
        if (s.tail == null) {
            s.head = e;
        } else {
            s.tail.srcNext = e;
        }
        s.tail = e;
        s.size++;
        size++;
        return e;
    }

    /** Under pressure (half the slots or more taken, now or in the last 10 s), drops the half-open flows older than the pressure age. */
    void expire(long nowNanos) {
        if (2 * size >= capacity) {
            pressureUntil = nowNanos + PRESSURE_HOLD_NANOS;
        }
        while (head != null && nowNanos - pressureUntil < 0 && nowNanos - head.sinceNanos > pressureAgeNanos) {
            evict(head, nowNanos);
        }
    }

    /** The flow of {@code e} completed its handshake or ended; idempotent. */
    void done(Entry e) {
        if (e == null || e.src == null) {
            return;
        }
        Source s = e.src;
        e.src = null;
        if (e.prev == null) {
            head = e.next;
        } else {
            e.prev.next = e.next;
        }
        if (e.next == null) {
            tail = e.prev;
        } else {
            e.next.prev = e.prev;
        }
        if (e.srcPrev == null) {
            s.head = e.srcNext;
        } else {
            e.srcPrev.srcNext = e.srcNext;
        }
        if (e.srcNext == null) {
            s.tail = e.srcPrev;
        } else {
            e.srcNext.srcPrev = e.srcPrev;
        }
        e.prev = e.next = e.srcPrev = e.srcNext = null;
        size--;
        if (--s.size == 0) {
            sources.remove(e.source);
        }
    }

    private void evict(Entry e, long nowNanos) {
        done(e);   // first: the member's own done() then finds nothing to undo
        e.member.evict(nowNanos);
    }
}
