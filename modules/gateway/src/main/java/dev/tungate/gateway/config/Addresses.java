package dev.tungate.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** InetAddress from raw bits, for code that holds addresses as bytes or as 128-bit hi/lo pairs. */
public final class Addresses {
    private Addresses() { }

    /** A 4- or 16-byte address; no name lookup. */
    public static InetAddress of(byte[] a) {
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);   // only thrown for a bad array length
        }
    }

    /** The bytes of {@code a} with every bit past the first {@code prefix} cleared: its network. */
    public static byte[] network(InetAddress a, int prefix) {
        byte[] b = a.getAddress();
        for (int bit = prefix; bit < b.length * 8; bit++) {
            b[bit >>> 3] &= (byte) ~(0x80 >>> (bit & 7));
        }
        return b;
    }

    /** IPv4 from the low 32 bits of {@code lo} when {@code v4}, else IPv6 from {@code hi}:{@code lo}. */
    public static InetAddress of(boolean v4, long hi, long lo) {
        byte[] a = new byte[v4 ? 4 : 16];
        if (v4) {
            putInt(a, 0, (int) lo);
        } else {
            putInt(a, 0, (int) (hi >>> 32));
            putInt(a, 4, (int) hi);
            putInt(a, 8, (int) (lo >>> 32));
            putInt(a, 12, (int) lo);
        }
        return of(a);
    }

    private static void putInt(byte[] a, int at, int v) {
        a[at] = (byte) (v >>> 24);
        a[at + 1] = (byte) (v >>> 16);
        a[at + 2] = (byte) (v >>> 8);
        a[at + 3] = (byte) v;
    }
}
