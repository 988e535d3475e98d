package dev.tungate.gateway.frag;

import dev.tungate.gateway.shard.Counters;
import dev.tungate.wire.Drop;
import dev.tungate.wire.Ipv4Header;
import dev.tungate.wire.Ipv6Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One shard's IPv4 and IPv6 fragment reassembly (see the package comment for the bounds).
 *
 * <p>Hole tracking is RFC 815's idea with a list instead of holes: each datagram keeps the
 * [first, last) payload ranges it has; since overlaps are refused, the datagram is complete when
 * the last fragment has fixed its length and the ranges add up to it. Overlaps discard the whole
 * datagram, as RFC 5722 requires for IPv6 and Linux does for IPv4 too (an overlap is either a
 * broken sender or an attempt to slip bytes past a filter); exact duplicates, which networks do
 * make, are dropped alone (RFC 8200 §4.5).
 */
public final class Reassembler {
    /** Datagrams in reassembly at once, per shard. */
    public static final int MAX_DATAGRAMS = 64;
    /** Buffer capacity all datagrams in reassembly may hold, per shard. */
    public static final int MAX_BYTES = 4 << 20;
    /** Fragments per datagram: a 64 KiB datagram over a 1280-byte MTU takes 52. */
    public static final int MAX_FRAGMENTS = 64;
    /** RFC 8200 §4.5 gives 60 s; Linux (ipfrag_time) and this use 30 s, the RFC 791 order of magnitude. */
    public static final long TIMEOUT_NANOS = 30_000_000_000L;
    /** Room before the payload for the header of the first fragment (IPv4: up to 60; IPv6: 40 plus extensions). */
    static final int HEADROOM = 128;
    private static final int MAX_DATAGRAM = 65_535;

    private final ByteBufAllocator alloc;
    private final Counters counters;
    private final int maxDatagrams;
    private final int maxBytes;
    private final long timeoutNanos;
    private final Ipv4Header v4 = new Ipv4Header();
    private final Ipv6Header v6 = new Ipv6Header();
    private final Partial[] partials;
    private int count;
    private int bytesHeld;

    public Reassembler(ByteBufAllocator alloc, Counters counters) {
        this(alloc, counters, MAX_DATAGRAMS, MAX_BYTES, TIMEOUT_NANOS);
    }

    Reassembler(ByteBufAllocator alloc, Counters counters, int maxDatagrams, int maxBytes, long timeoutNanos) {
        this.alloc = alloc;
        this.counters = counters;
        this.maxDatagrams = maxDatagrams;
        this.maxBytes = maxBytes;
        this.timeoutNanos = timeoutNanos;
        this.partials = new Partial[maxDatagrams];
    }

    /** Datagrams in reassembly now. */
    public int pending() {
        return count;
    }

    /** Buffer bytes held now. */
    public int bytesHeld() {
        return bytesHeld;
    }

    /**
     * One fragment, as {@link dev.tungate.wire.IpPacket#wrap} judged it (IPV4_FRAGMENT or
     * IPV6_FRAGMENT, so its header is sound). Takes ownership of {@code frame}. Returns the whole
     * datagram, owned by the caller, readerIndex at its IP header, when this fragment completed
     * it; null otherwise (kept, or counted and dropped).
     */
    public ByteBuf offer(ByteBuf frame, long nowNanos) {
        counters.fragmentsIn++;
        try {
            return offer0(frame, nowNanos);
        } finally {
            frame.release();
        }
    }

    private ByteBuf offer0(ByteBuf frame, long nowNanos) {
        int off = frame.readerIndex();
        int len = frame.readableBytes();
        int version = frame.getUnsignedByte(off) >>> 4;
        int first, payloadOff, payloadLen, headerLen, id;
        boolean more;
        if (version == 4 && v4.wrap(frame, off, len) == Drop.NONE) {
            first = v4.fragmentOffset() << 3;
            more = v4.moreFragments();
            payloadOff = v4.payloadOffset();
            payloadLen = v4.payloadLength();
            headerLen = v4.headerLength();
            id = v4.identification();
        } else if (version == 6 && v6.wrap(frame, off, len) == Drop.NONE && v6.hasFragmentHeader()) {
            first = v6.fragmentOffset() << 3;
            more = v6.moreFragments();
            payloadOff = v6.fragmentHeaderOffset() + 8;
            payloadLen = off + Ipv6Header.LENGTH + v6.payloadLength() - payloadOff;
            headerLen = v6.fragmentHeaderOffset() - off;       // the unfragmentable part (RFC 8200 §4.5)
            id = v6.fragmentId();
        } else {
            counters.fragmentsInvalid++;
            return null;
        }
        int last = first + payloadLen;
        // RFC 791/8200: every fragment but the last carries a multiple of 8 bytes; the datagram fits 64 KiB.
        if (payloadLen == 0 || more && (payloadLen & 7) != 0
                || (version == 4 ? headerLen : headerLen - Ipv6Header.LENGTH) + last > MAX_DATAGRAM
                || first == 0 && headerLen > HEADROOM) {
            counters.fragmentsInvalid++;
            return null;
        }
        expire(nowNanos);
        Partial p = find(version, frame, off, id);
        if (p == null) {
            p = open(version, frame, off, id, nowNanos);
        }
        // The last fragment fixes the length; nothing may lie beyond it, nor a second length differ.
        if (!more && (p.length >= 0 && p.length != last || last < p.highest)
                || more && p.length >= 0 && last > p.length) {
            counters.fragmentsInvalid++;
            discard(p);
            return null;
        }
        for (int i = 0; i < p.fragments; i++) {
            if (p.first[i] == first && p.last[i] == last) {
                counters.fragmentDuplicates++;
                return null;
            }
            if (first < p.last[i] && p.first[i] < last) {
                counters.fragmentOverlaps++;                  // RFC 5722: discard the datagram, silently
                discard(p);
                return null;
            }
        }
        if (p.fragments == MAX_FRAGMENTS || !reserve(p, HEADROOM + last)) {
            counters.fragmentsInvalid++;
            discard(p);
            return null;
        }
        p.data.setBytes(HEADROOM + first, frame, payloadOff, payloadLen);
        p.first[p.fragments] = first;
        p.last[p.fragments] = last;
        p.fragments++;
        p.received += payloadLen;
        p.highest = Math.max(p.highest, last);
        if (!more) {
            p.length = last;
        }
        if (first == 0) {
            p.headerLen = headerLen;
            p.data.setBytes(HEADROOM - headerLen, frame, off, headerLen);
            if (version == 6) {
                p.nextHeaderAt = nextHeaderFieldBefore(frame, off, v6.fragmentHeaderOffset());
                p.fragmentNextHeader = frame.getUnsignedByte(v6.fragmentHeaderOffset());
            }
        }
        return p.length >= 0 && p.received == p.length && p.headerLen > 0 ? complete(p) : null;
    }

    /** The whole datagram: the first fragment's header, lengths and fragment fields made whole. */
    private ByteBuf complete(Partial p) {
        ByteBuf d = p.data;
        p.data = null;
        remove(p);
        int start = HEADROOM - p.headerLen;
        d.setIndex(start, HEADROOM + p.length);
        if (p.version == 4) {
            d.setShort(start + Ipv4Header.OFF_TOTAL_LENGTH, p.headerLen + p.length);
            d.setShort(start + Ipv4Header.OFF_FLAGS_FRAGMENT,
                    d.getUnsignedShort(start + Ipv4Header.OFF_FLAGS_FRAGMENT) & Ipv4Header.FLAG_DF);
            v4.wrap(d, start, p.headerLen + p.length);
            v4.fillChecksum();
        } else {
            // Drop the Fragment header: its Next Header goes where the field that named it was.
            d.setShort(start + Ipv6Header.OFF_PAYLOAD_LENGTH, p.headerLen - Ipv6Header.LENGTH + p.length);
            d.setByte(start + p.nextHeaderAt, p.fragmentNextHeader);
        }
        counters.datagramsReassembled++;
        return d;
    }

    /** Offset, from the IPv6 header, of the Next Header field that names the Fragment header at {@code frag}. */
    private static int nextHeaderFieldBefore(ByteBuf b, int off, int frag) {
        int field = Ipv6Header.OFF_NEXT_HEADER;
        int pos = off + Ipv6Header.LENGTH;
        while (pos < frag) {                                  // hop-by-hop, routing, destination options: (len+1)*8
            field = pos - off;
            pos += (b.getUnsignedByte(pos + 1) + 1) << 3;
        }
        return field;
    }

    /** Drops every datagram whose first fragment came {@link #TIMEOUT_NANOS} ago or more. */
    public void expire(long nowNanos) {
        for (int i = 0; i < count; ) {
            Partial p = partials[i];
            if (nowNanos - p.startNanos >= timeoutNanos) {
                counters.reassemblyTimeouts++;
                discard(p);
            } else {
                i++;
            }
        }
    }

    /** Releases everything held (shard stop). */
    public void clear() {
        while (count > 0) {
            discard(partials[count - 1]);
        }
    }

    private Partial find(int version, ByteBuf b, int off, int id) {
        for (int i = 0; i < count; i++) {
            Partial p = partials[i];
            if (p.version == version && p.id == id && p.sameAddresses(b, off)) {
                return p;
            }
        }
        return null;
    }

    private Partial open(int version, ByteBuf b, int off, int id, long nowNanos) {
        if (count == maxDatagrams) {
            counters.reassemblyEvictions++;
            discard(oldest(null));
        }
        Partial p = new Partial(version, b, off, id, nowNanos);
        partials[count++] = p;
        return p;
    }

    /** Grows {@code p}'s buffer to {@code capacity}, evicting the oldest others while over {@link #MAX_BYTES}. */
    private boolean reserve(Partial p, int capacity) {
        int have = p.capacity;
        if (capacity <= have) {
            return true;
        }
        int want = Math.min(HEADROOM + MAX_DATAGRAM, Math.max(capacity, Math.max(2 * have, 2048)));
        while (bytesHeld - have + want > maxBytes) {
            Partial victim = oldest(p);
            if (victim == null) {
                return false;
            }
            counters.reassemblyEvictions++;
            discard(victim);
        }
        if (p.data == null) {
            p.data = alloc.directBuffer(want, HEADROOM + MAX_DATAGRAM);
        } else {
            p.data.capacity(want);
        }
        bytesHeld += want - have;
        p.capacity = want;
        return true;
    }

    private Partial oldest(Partial except) {
        Partial o = null;
        for (int i = 0; i < count; i++) {
            Partial p = partials[i];
            if (p != except && (o == null || p.startNanos - o.startNanos < 0)) {
                o = p;
            }
        }
        return o;
    }

    private void discard(Partial p) {
        if (p.data != null) {
            p.data.release();
            p.data = null;
        }
        remove(p);
    }

    private void remove(Partial p) {
        bytesHeld -= p.capacity;
        for (int i = 0; i < count; i++) {
            if (partials[i] == p) {
                partials[i] = partials[--count];
                partials[count] = null;
                return;
            }
        }
    }

    /** One datagram in reassembly: its key (RFC 791: src, dst, protocol, id; RFC 8200: src, dst, id) and its pieces. */
    private static final class Partial {
        final int version;
        final int id;
        final long startNanos;
        /** IPv4: src, dst, protocol; IPv6: src and dst in four longs. */
        private final long k0, k1, k2, k3;
        ByteBuf data;
        int capacity;
        final int[] first = new int[MAX_FRAGMENTS];
        final int[] last = new int[MAX_FRAGMENTS];
        int fragments;
        int received;
        int highest;
        /** Payload length, -1 until the last fragment (M clear) came. */
        int length = -1;
        /** Header bytes of the first fragment (IPv6: up to the Fragment header), 0 until it came. */
        int headerLen;
        int nextHeaderAt;
        int fragmentNextHeader;

        Partial(int version, ByteBuf b, int off, int id, long startNanos) {
            this.version = version;
            this.id = id;
            this.startNanos = startNanos;
            if (version == 4) {
                k0 = b.getInt(off + Ipv4Header.OFF_SRC);
                k1 = b.getInt(off + Ipv4Header.OFF_DST);
                k2 = b.getUnsignedByte(off + Ipv4Header.OFF_PROTOCOL);
                k3 = 0;
            } else {
                k0 = b.getLong(off + Ipv6Header.OFF_SRC);
                k1 = b.getLong(off + Ipv6Header.OFF_SRC + 8);
                k2 = b.getLong(off + Ipv6Header.OFF_DST);
                k3 = b.getLong(off + Ipv6Header.OFF_DST + 8);
            }
        }

        boolean sameAddresses(ByteBuf b, int off) {
            if (version == 4) {
                return k0 == b.getInt(off + Ipv4Header.OFF_SRC) && k1 == b.getInt(off + Ipv4Header.OFF_DST)
                        && k2 == b.getUnsignedByte(off + Ipv4Header.OFF_PROTOCOL);
            }
            return k0 == b.getLong(off + Ipv6Header.OFF_SRC) && k1 == b.getLong(off + Ipv6Header.OFF_SRC + 8)
                    && k2 == b.getLong(off + Ipv6Header.OFF_DST) && k3 == b.getLong(off + Ipv6Header.OFF_DST + 8);
        }
    }
}
