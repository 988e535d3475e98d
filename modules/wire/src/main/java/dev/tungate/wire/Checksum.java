package dev.tungate.wire;

import io.netty.buffer.ByteBuf;

/**
 * The Internet checksum (RFC 1071), pseudo-header sums (RFC 9293 §3.1, RFC 8200 §8.1) and the
 * incremental update of RFC 1624.
 *
 * <p>Sums are carried as non-negative {@code long} partial sums that may exceed 16 bits; combine
 * them with {@code +}, then {@link #fold} to 16 bits and {@link #finish} to the value written into
 * a header. A region summed on its own must start at an even offset of the checksummed data
 * (every header length here is a multiple of 4, so a payload after a header always does).
 */
public final class Checksum {
    private Checksum() { }

    /**
     * Adds {@code len} bytes of {@code buf} from {@code index} to {@code initial}, as big-endian
     * 16-bit words, a trailing odd byte padded with zero (RFC 1071 §4.1).
     *
     * <p>Reads 8 bytes at a time and adds the two 32-bit halves into a 64-bit accumulator: each
     * step adds less than 2^33, so the accumulator cannot overflow before 2^30 steps (8 GiB),
     * and the carries it collects in its upper bits are folded back at the end (RFC 1071 §2(C)).
     */
    public static long partial(ByteBuf buf, int index, int len, long initial) {
        long sum = initial;
        int i = index;
        int end = index + len;
        for (int stop = end - 7; i < stop; i += 8) {
            long w = buf.getLong(i);
            sum += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        if (end - i >= 4) {
            sum += buf.getUnsignedInt(i);
            i += 4;
        }
        if (end - i >= 2) {
            sum += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8;
        }
        return sum;
    }

    /** Folds a partial sum to 16 bits with end-around carry (RFC 1071 §4.1). */
    public static int fold(long sum) {
        long s = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int) s;
    }

    /** The checksum to write: the one's complement of the folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** The Internet checksum of a region, as written into a header whose checksum field was zero. */
    public static int compute(ByteBuf buf, int index, int len) {
        return finish(partial(buf, index, len, 0));
    }

    /**
     * True when a region that includes its own checksum field sums to 0xFFFF, i.e. is intact
     * (RFC 1071 §1: "If the result is all 1 bits, the check succeeds").
     */
    public static boolean verify(ByteBuf buf, int index, int len, long initial) {
        return fold(partial(buf, index, len, initial)) == 0xFFFF;
    }

    /** IPv4 pseudo-header: source, destination, zero, protocol, L4 length (RFC 9293 §3.1). */
    public static long pseudoIpv4(int src, int dst, int protocol, int l4Length) {
        return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + protocol + l4Length;
    }

    /** IPv6 pseudo-header: source, destination, upper-layer length, next header (RFC 8200 §8.1). */
    public static long pseudoIpv6(long srcHi, long srcLo, long dstHi, long dstLo, int protocol, int l4Length) {
        return words(srcHi) + words(srcLo) + words(dstHi) + words(dstLo) + protocol + (l4Length & 0xFFFF_FFFFL);
    }

    private static long words(long v) {
        return (v >>> 32) + (v & 0xFFFF_FFFFL);
    }

    /**
     * RFC 1624 eqn. 3: the checksum after one 16-bit word of the covered data changed from
     * {@code oldWord} to {@code newWord}: HC' = ~(~HC + ~m + m'). Unlike eqn. 2 it never yields
     * 0x0000 for a non-zero sum (RFC 1624 §3).
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }

    /** {@link #update16} for a 32-bit field (sequence number, IPv4 address): both halves at once. */
    public static int update32(int checksum, int oldValue, int newValue) {
        long sum = (~checksum & 0xFFFF)
                + (~oldValue >>> 16 & 0xFFFF) + (~oldValue & 0xFFFF)
                + (newValue >>> 16) + (newValue & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }
}
