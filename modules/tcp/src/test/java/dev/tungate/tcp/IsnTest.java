package dev.tungate.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 6528: initial sequence numbers")
class IsnTest {
    private static final long V4 = 0x0000_ffff_0000_0000L;
    private final Isn isn = new Isn(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);

    @Test
    @DisplayName("SipHash-2-4 matches the reference for key 00..0f and the 40-byte message 00 01 .. 27")
    void sipHashReferenceVector() {
        // From a byte-wise SipHash-2-4 that reproduces the paper's Appendix A vector
        // (15-byte message 00..0e -> a129ca6149be45e5), run on the 40-byte message.
        long expected = 0x0e3ea96b5304a7d0L;
        long m0 = 0x0706050403020100L;
        long m1 = 0x0f0e0d0c0b0a0908L;
        long m2 = 0x1716151413121110L;
        long m3 = 0x1f1e1d1c1b1a1918L;
        long m4 = 0x2726252423222120L;
        assertEquals(Long.toHexString(expected),
                Long.toHexString(Isn.sipHash24(0x0706050403020100L, 0x0f0e0d0c0b0a0908L, m0, m1, m2, m3, m4)));
    }

    @Test
    @DisplayName("§3: M is a 4 µs timer: one 4-tuple's ISN advances by one every 4 µs")
    void clockAdvances() {
        int a = isn.isn(0, V4 | 0x0a000001, 80, 0, V4 | 0x0a000002, 40000, 1_000_000_000L);
        int b = isn.isn(0, V4 | 0x0a000001, 80, 0, V4 | 0x0a000002, 40000, 1_000_004_000L);
        int c = isn.isn(0, V4 | 0x0a000001, 80, 0, V4 | 0x0a000002, 40000, 1_000_000_000L);
        assertEquals(1, b - a);
        assertEquals(a, c);
    }

    @Test
    @DisplayName("§3: F hashes the 4-tuple: another port or address gives an unrelated ISN")
    void tupleMatters() {
        int a = isn.isn(0, V4 | 0x0a000001, 80, 0, V4 | 0x0a000002, 40000, 0);
        int b = isn.isn(0, V4 | 0x0a000001, 80, 0, V4 | 0x0a000002, 40001, 0);
        int c = isn.isn(0, V4 | 0x0a000001, 80, 0, V4 | 0x0a000003, 40000, 0);
        int d = new Isn(1, 2).isn(0, V4 | 0x0a000001, 80, 0, V4 | 0x0a000002, 40000, 0);
        assertNotEquals(a, b);
        assertNotEquals(a, c);
        assertNotEquals(a, d);
    }
}
