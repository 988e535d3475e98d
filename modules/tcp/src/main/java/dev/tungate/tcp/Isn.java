package dev.tungate.tcp;

import java.security.SecureRandom;

/**
 * Initial sequence numbers per RFC 6528 §3: {@code ISN = M + F(localip, localport, remoteip,
 * remoteport, secretkey)}, where M is a 4-microsecond timer and F is SipHash-2-4 keyed with a
 * per-process secret. Addresses are 128-bit (IPv4 mapped into IPv6, ::ffff:a.b.c.d, as in the
 * connection table). The clock is the caller's {@code nowNanos}; the key is fixed at construction.
 *
 * <p>The hash makes sequence numbers of different 4-tuples unrelated (an off-path attacker cannot
 * guess them from its own connections); the timer makes successive incarnations of one 4-tuple
 * move forward, which is what lets a new SYN reuse a TIME-WAIT pair (RFC 6191).
 */
public final class Isn {
    /** RFC 6528 §3: "M is the 4 microsecond timer". */
    private static final long TICK_NANOS = 4_000L;

    private final long k0;
    private final long k1;

    /** A generator with an explicit 128-bit key (tests, or a key kept across restarts). */
    public Isn(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** A generator with a fresh random key (RFC 6528 §3: the secret key SHOULD be random). */
    public static Isn withRandomKey() {
        SecureRandom random = new SecureRandom();
        return new Isn(random.nextLong(), random.nextLong());
    }

    /**
     * The ISN for a connection from our side's (localHi, localLo, localPort) to the peer's
     * (remoteHi, remoteLo, remotePort) at {@code nowNanos}.
     */
    public int isn(long localHi, long localLo, int localPort, long remoteHi, long remoteLo, int remotePort,
                   long nowNanos) {
        long ports = ((long) (localPort & 0xffff) << 16) | (remotePort & 0xffff);
        long f = sipHash24(k0, k1, localHi, localLo, remoteHi, remoteLo, ports);
        return (int) f + (int) (nowNanos / TICK_NANOS);
    }

    /** SipHash-2-4 over five 64-bit words (40 bytes), allocation-free. */
    static long sipHash24(long k0, long k1, long m0, long m1, long m2, long m3, long m4) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        return finish(v0, v1, v2, v3, m0, m1, m2, m3, m4);
    }

    private static long finish(long v0, long v1, long v2, long v3, long m0, long m1, long m2, long m3, long m4) {
        long b = 40L << 56; // message length in the top byte, no tail bytes
        for (int i = 0; i < 6; i++) {
            long m = i == 0 ? m0 : i == 1 ? m1 : i == 2 ? m2 : i == 3 ? m3 : i == 4 ? m4 : b;
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
