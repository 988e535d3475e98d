package dev.tungate.gateway.shard;

import java.net.InetAddress;

/**
 * Addresses that reach the host's own loopback when a host socket is connected to them: what a
 * namespace must never get relayed by its raw address. Decided on the address bytes, because Java
 * turns a v4-mapped IPv6 address into an {@code Inet4Address} and keeps v4-compatible ones IPv6.
 *
 * <ul>
 *   <li>127.0.0.0/8: loopback (RFC 1122 §3.2.1.3 (g)).</li>
 *   <li>0.0.0.0/8: "this host on this network" (RFC 1122 §3.2.1.3 (a), (b)); Linux delivers a
 *       connect to 0.0.0.0 to the local host, i.e. to sockets bound to 127.0.0.1 as well.</li>
 *   <li>::/104 (::, ::1 and IPv4-compatible ::0.x.y.z, RFC 4291 §2.5.5.1) and ::127.0.0.0/104
 *       (IPv4-compatible loopback): :: and ::1 are the host itself (RFC 4291 §2.5.2, §2.5.3).</li>
 *   <li>::ffff:127.0.0.0/104 and ::ffff:0.0.0.0/104: v4-mapped forms (RFC 4291 §2.5.5.2), which
 *       a dual-stack socket sends as IPv4 to the address they embed.</li>
 * </ul>
 * The host's other addresses (its eth0 address) are not in this set: a socket bound only to
 * 127.0.0.1 is not reachable through them.
 */
public final class HostLoopback {
    private HostLoopback() { }

    /** True when a host socket connected to {@code a} would reach the host's loopback. */
    public static boolean reaches(InetAddress a) {
        return reaches(a.getAddress());
    }

    /** The same on the raw 4- or 16-byte address. */
    public static boolean reaches(byte[] a) {
        if (a.length == 4) {
            return ipv4Loopback(a[0]);
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        boolean mapped = a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
        boolean compatible = a[10] == 0 && a[11] == 0;
        return (mapped || compatible) && ipv4Loopback(a[12]);
    }

    /** 0.0.0.0/8 or 127.0.0.0/8, from the first octet. */
    private static boolean ipv4Loopback(byte firstOctet) {
        return firstOctet == 0 || firstOctet == 127;
    }
}
