package dev.tungate.tcp;

/** 32-bit modular sequence space (RFC 9293 §3.4, RFC 1982). Valid while |a - b| < 2^31. */
public final class Seq {
    private Seq() { }

    public static boolean lt(int a, int b) { return a - b < 0; }

    public static boolean le(int a, int b) { return a - b <= 0; }

    public static boolean gt(int a, int b) { return a - b > 0; }

    public static boolean ge(int a, int b) { return a - b >= 0; }

    /** The later of a and b in sequence space. */
    public static int max(int a, int b) { return a - b >= 0 ? a : b; }

    /** The earlier of a and b in sequence space. */
    public static int min(int a, int b) { return a - b <= 0 ? a : b; }

    /** start <= x < start + len: the window test of §3.4. */
    public static boolean inWindow(int x, int start, int len) {
        return Integer.compareUnsigned(x - start, len) < 0;
    }

    public static String toString(int seq) { return Integer.toUnsignedString(seq); }
}
