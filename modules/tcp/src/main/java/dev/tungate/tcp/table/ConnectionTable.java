package dev.tungate.tcp.table;

import java.util.function.Consumer;

/**
 * Open-addressing flow table over primitive arrays; keys are 4-tuples with IPv4 mapped into IPv6 (::ffff:a.b.c.d).
 *
 * <p>Linear probing; a removal shifts the following entries of its cluster back (no tombstones),
 * so a lookup stops at the first empty slot. The arrays double when more than half full, which
 * keeps probe sequences short. Lookups allocate nothing: no key objects, no boxing. Values must
 * not be null (null marks an empty slot). Not thread-safe: one table per shard, used by its
 * event loop only.
 */
public final class ConnectionTable<V> {
    private static final int MIN_CAPACITY = 16;

    private long[] srcHi;
    private long[] srcLo;
    private long[] dstHi;
    private long[] dstLo;
    /** srcPort in the high 16 bits, dstPort in the low 16 bits. */
    private int[] ports;
    /** Cached hash of each occupied slot, so moving an entry does not rehash its key. */
    private int[] hashes;
    private Object[] values;
    private int mask;
    private int size;

    /** @param capacity entries expected; the table starts with room for that many at half load */
    public ConnectionTable(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
        }
        allocate(slotsFor(capacity));
    }

    private static int slotsFor(int entries) {
        long wanted = Math.max(MIN_CAPACITY, 2L * entries);
        if (wanted > 1 << 30) {
            throw new IllegalArgumentException("capacity too large: " + entries);
        }
        return Integer.highestOneBit((int) wanted - 1) << 1;
    }

    private void allocate(int slots) {
        srcHi = new long[slots];
        srcLo = new long[slots];
        dstHi = new long[slots];
        dstLo = new long[slots];
        ports = new int[slots];
        hashes = new int[slots];
        values = new Object[slots];
        mask = slots - 1;
    }

    /** 0x0000_ffff_0000_0000L | (ipv4 & 0xffffffffL), hi = 0: the low half of ::ffff:a.b.c.d (RFC 4291 §2.5.5.2). */
    public static long mappedV4Lo(int ipv4) {
        return 0x0000_ffff_0000_0000L | (ipv4 & 0xffff_ffffL);
    }

    private static int packPorts(int srcPort, int dstPort) {
        return (srcPort << 16) | (dstPort & 0xffff);
    }

    /** Murmur3's 64-bit finalizer over the folded key: every key bit reaches the low bits the mask keeps. */
    private static int hash(long srcHi, long srcLo, long dstHi, long dstLo, int ports) {
        long h = srcHi * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ srcLo) * 0xC2B2_AE3D_27D4_EB4FL;
        h = (h ^ dstHi) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ dstLo) * 0xC2B2_AE3D_27D4_EB4FL;
        h ^= ports;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** Slot holding the key, or the empty slot where its probe ends (as ~slot). */
    private int find(long sHi, long sLo, long dHi, long dLo, int p, int h) {
        int i = h & mask;
        while (values[i] != null) {
            if (hashes[i] == h && ports[i] == p && srcLo[i] == sLo && dstLo[i] == dLo
                    && srcHi[i] == sHi && dstHi[i] == dHi) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return ~i;
    }

    @SuppressWarnings("unchecked")
    public V get(long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
        int p = packPorts(srcPort, dstPort);
        int i = find(srcHi, srcLo, dstHi, dstLo, p, hash(srcHi, srcLo, dstHi, dstLo, p));
        return i >= 0 ? (V) values[i] : null;
    }

    /** Returns the previous value for the key, or null. {@code value} must not be null. */
    @SuppressWarnings("unchecked")
    public V put(long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        int p = packPorts(srcPort, dstPort);
        int h = hash(srcHi, srcLo, dstHi, dstLo, p);
        int i = find(srcHi, srcLo, dstHi, dstLo, p, h);
        if (i >= 0) {
            V previous = (V) values[i];
            values[i] = value;
            return previous;
        }
        if (size + 1 > (mask + 1) >>> 1) {
            grow();
            i = find(srcHi, srcLo, dstHi, dstLo, p, h);
        }
        store(~i, srcHi, srcLo, dstHi, dstLo, p, h, value);
        size++;
        return null;
    }

    private void store(int i, long sHi, long sLo, long dHi, long dLo, int p, int h, Object value) {
        srcHi[i] = sHi;
        srcLo[i] = sLo;
        dstHi[i] = dHi;
        dstLo[i] = dLo;
        ports[i] = p;
        hashes[i] = h;
        values[i] = value;
    }

    private void grow() {
        long[] oSrcHi = srcHi, oSrcLo = srcLo, oDstHi = dstHi, oDstLo = dstLo;
        int[] oPorts = ports, oHashes = hashes;
        Object[] oValues = values;
        allocate(oValues.length << 1);
        for (int j = 0; j < oValues.length; j++) {
            if (oValues[j] != null) {
                int i = oHashes[j] & mask;
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                store(i, oSrcHi[j], oSrcLo[j], oDstHi[j], oDstLo[j], oPorts[j], oHashes[j], oValues[j]);
            }
        }
    }

    /** Returns the removed value, or null when the key was absent. */
    @SuppressWarnings("unchecked")
    public V remove(long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
        int p = packPorts(srcPort, dstPort);
        int i = find(srcHi, srcLo, dstHi, dstLo, p, hash(srcHi, srcLo, dstHi, dstLo, p));
        if (i < 0) {
            return null;
        }
        V removed = (V) values[i];
        shiftBack(i);
        size--;
        return removed;
    }

    /**
     * Backward-shift deletion (Knuth vol. 3 §6.4 Algorithm R): walk the cluster after the hole and
     * move back each entry whose home slot does not lie cyclically in (hole, its slot].
     */
    private void shiftBack(int hole) {
        int j = hole;
        while (true) {
            j = (j + 1) & mask;
            if (values[j] == null) {
                break;
            }
            int home = hashes[j] & mask;
            boolean staysPut = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!staysPut) {
                store(hole, srcHi[j], srcLo[j], dstHi[j], dstLo[j], ports[j], hashes[j], values[j]);
                hole = j;
            }
        }
        values[hole] = null;
    }

    public int size() {
        return size;
    }

    /** Control path only (ctl conns), not the fast path. The action must not modify the table. */
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<V> action) {
        for (Object v : values) {
            if (v != null) {
                action.accept((V) v);
            }
        }
    }
}
