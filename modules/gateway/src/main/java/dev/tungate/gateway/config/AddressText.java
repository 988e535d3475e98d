package dev.tungate.gateway.config;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Addresses as people write them: dotted IPv4, and IPv6 in the canonical text form of RFC 5952. */
public final class AddressText {
    private AddressText() { }

    /** 10.0.2.2, fd00::2 (Java's getHostAddress() would print fd00:0:0:0:0:0:0:2). */
    public static String of(InetAddress a) {
        return a instanceof Inet6Address ? compressed(a.getAddress()) : a.getHostAddress();
    }

    /** RFC 5952 §4.2: the longest run of two or more zero groups becomes "::" (the first, on a tie). */
    private static String compressed(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xFF) << 8 | a[2 * i + 1] & 0xFF;
        }
        int best = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                best = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(g[i]));
        }
        return b.toString();
    }
}
