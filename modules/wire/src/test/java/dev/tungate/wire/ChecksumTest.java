package dev.tungate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChecksumTest {

    /** Textbook RFC 1071 sum: 16-bit words, end-around carry, byte by byte. */
    private static int reference(byte[] b, int from, int len, long initial) {
        long sum = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = b[from + i] & 0xFF;
            int lo = i + 1 < len ? b[from + i + 1] & 0xFF : 0;
            sum += hi << 8 | lo;
            while (sum >>> 16 != 0) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
        }
        return (int) sum;
    }

    @Test
    @DisplayName("RFC 1071 §3 example: 0001 f203 f4f5 f6f7 sums to ddf2")
    void rfc1071Example() {
        ByteBuf b = Hex.buf("0001 f203 f4f5 f6f7");
        assertEquals(0xDDF2, Checksum.fold(Checksum.partial(b, 0, 8, 0)));
        assertEquals(0x220D, Checksum.compute(b, 0, 8));
    }

    @Test
    @DisplayName("a real IPv4 header checksum (b861) is computed and verified")
    void ipv4HeaderVector() {
        ByteBuf b = Hex.buf("4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7");
        assertEquals(0xB861, Checksum.compute(b, 0, 20));
        b.setShort(10, 0xB861);
        assertTrue(Checksum.verify(b, 0, 20, 0));
        b.setByte(8, 0x3F);
        assertFalse(Checksum.verify(b, 0, 20, 0));
    }

    @Test
    @DisplayName("odd length pads the last byte with zero on the right")
    void oddLength() {
        ByteBuf b = Hex.buf("0102 03");
        assertEquals(0x0102 + 0x0300, Checksum.fold(Checksum.partial(b, 0, 3, 0)));
    }

    @Test
    @DisplayName("wide-word sum equals the textbook sum for random data, lengths and offsets, heap and direct")
    void matchesReference() {
        Random r = new Random(1071);
        for (int n = 0; n < 2_000; n++) {
            int len = r.nextInt(n < 1_950 ? 64 : 70_000);
            int from = r.nextInt(9);
            byte[] data = new byte[from + len];
            r.nextBytes(data);
            long initial = r.nextInt(4) == 0 ? r.nextInt() & 0xFFFF_FFFFL : 0;
            ByteBuf heap = Unpooled.wrappedBuffer(data);
            ByteBuf direct = Unpooled.directBuffer(data.length).writeBytes(data);
            int want = Checksum.fold(reference(data, from, len, Checksum.fold(initial)));
            assertEquals(want, Checksum.fold(Checksum.partial(heap, from, len, initial)), "heap len=" + len);
            assertEquals(want, Checksum.fold(Checksum.partial(direct, from, len, initial)), "direct len=" + len);
            int cut = data.length / 2;
            ByteBuf composite = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(data, 0, cut), direct.retainedSlice(cut, data.length - cut));
            assertEquals(want, Checksum.fold(Checksum.partial(composite, from, len, initial)), "composite len=" + len);
            composite.release();
            direct.release();
        }
    }

    @Test
    @DisplayName("a region outside the buffer or a released buffer is a programmer error, not a wild read")
    void bounds() {
        ByteBuf b = Unpooled.directBuffer(16).writeZero(16);
        assertThrows(IndexOutOfBoundsException.class, () -> Checksum.partial(b, 10, 7, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Checksum.partial(b, -1, 2, 0));
        assertEquals(0, Checksum.partial(b, 0, 16, 0));
        b.release();
        assertThrows(IndexOutOfBoundsException.class, () -> Checksum.partial(b, 0, 16, 0));
    }

    @Test
    @DisplayName("all-ones sums fold to ffff, never to 0 (one's complement negative zero)")
    void foldNegativeZero() {
        assertEquals(0xFFFF, Checksum.fold(0xFFFF));
        assertEquals(0xFFFF, Checksum.fold(0x1_FFFEL));
        assertEquals(0, Checksum.fold(0));
        assertEquals(0x0001, Checksum.fold(0x1_0000L));
        assertEquals(0x0002, Checksum.fold(0x1_0000_0000_0000L + 0x1_0000L));
    }

    @Test
    @DisplayName("IPv4 pseudo-header sum equals summing the 12 pseudo-header bytes")
    void pseudoIpv4() {
        ByteBuf p = Hex.buf("c0a8 0001 0a00 00fe 0006 05dc");
        assertEquals(Checksum.fold(Checksum.partial(p, 0, 12, 0)),
                Checksum.fold(Checksum.pseudoIpv4(0xC0A8_0001, 0x0A00_00FE, 6, 1500)));
    }

    @Test
    @DisplayName("IPv6 pseudo-header sum equals summing the 40 pseudo-header bytes (RFC 8200 §8.1)")
    void pseudoIpv6() {
        ByteBuf p = Hex.buf("2001 0db8 0000 0000 0000 0000 0000 0001 | fe80 0000 0000 0000 0211 22ff fe33 4455"
                + "| 0001 0010 | 0000 0011");
        assertEquals(Checksum.fold(Checksum.partial(p, 0, 40, 0)),
                Checksum.fold(Checksum.pseudoIpv6(0x2001_0db8_0000_0000L, 1L, 0xfe80_0000_0000_0000L,
                        0x0211_22ff_fe33_4455L, 17, 0x1_0010)));
    }

    @Test
    @DisplayName("RFC 1624 incremental update equals recomputation for random 16- and 32-bit rewrites")
    void incrementalEqualsRecompute() {
        Random r = new Random(1624);
        for (int n = 0; n < 10_000; n++) {
            int len = 20 + 2 * r.nextInt(40);
            byte[] data = new byte[len];
            r.nextBytes(data);
            ByteBuf b = Unpooled.wrappedBuffer(data);
            b.setShort(0, 0);
            b.setShort(0, Checksum.compute(b, 0, len));
            int at = 2 + 2 * r.nextInt((len - 4) / 2);
            int c;
            if (r.nextBoolean()) {
                int old = b.getUnsignedShort(at);
                int now = r.nextInt(4) == 0 ? (r.nextBoolean() ? 0 : 0xFFFF) : r.nextInt(0x10000);
                b.setShort(at, now);
                c = Checksum.update16(b.getUnsignedShort(0), old, now);
            } else {
                int old = b.getInt(at);
                int now = r.nextInt();
                b.setInt(at, now);
                c = Checksum.update32(b.getUnsignedShort(0), old, now);
            }
            b.setShort(0, 0);
            assertEquals(Checksum.compute(b, 0, len), c, "rewrite " + n);
            b.setShort(0, c);
            assertTrue(Checksum.verify(b, 0, len, 0), "rewrite " + n);
        }
    }
}
