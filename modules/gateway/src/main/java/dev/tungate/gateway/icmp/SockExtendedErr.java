package dev.tungate.gateway.icmp;

import java.nio.ByteOrder;

/**
 * One entry of a socket's error queue as Linux reports it (ip(7) IP_RECVERR, ipv6(7) IPV6_RECVERR):
 * the control message {@code struct sock_extended_err} and the offender address that follows it
 * ({@code SO_EE_OFFENDER}: the router or host whose ICMP message this is). Parsed from the control
 * buffer of {@code recvmsg(MSG_ERRQUEUE)}; mutable and reused, so reading the queue allocates nothing.
 *
 * <pre>
 * struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; }          16 bytes on LP64
 * struct sock_extended_err { u32 ee_errno; u8 ee_origin, ee_type, ee_code, ee_pad; u32 ee_info, ee_data; }
 * followed by struct sockaddr_in (family, port, addr) or sockaddr_in6 (family, port, flowinfo, addr, scope)
 * </pre>
 */
public final class SockExtendedErr {
    /** {@code <linux/errqueue.h>}: where the error came from. */
    public static final int ORIGIN_NONE = 0, ORIGIN_LOCAL = 1, ORIGIN_ICMP = 2, ORIGIN_ICMP6 = 3;
    /** cmsg levels and types: SOL_IP / IP_RECVERR, SOL_IPV6 / IPV6_RECVERR. */
    static final int SOL_IP = 0, IP_RECVERR = 11, SOL_IPV6 = 41, IPV6_RECVERR = 25;
    static final int AF_INET = 2, AF_INET6 = 10;
    /** CMSG_ALIGN(sizeof(struct cmsghdr)) and the alignment of every control message on LP64. */
    static final int CMSG_HEADER = 16, CMSG_ALIGN = 8;
    static final int EE_LENGTH = 16;

    /** The errno the kernel mapped the message to (EHOSTUNREACH, ECONNREFUSED, EMSGSIZE, ...). */
    public int errno;
    public int origin;
    /** ICMP type and code ({@link #ORIGIN_ICMP}: ICMPv4, {@link #ORIGIN_ICMP6}: ICMPv6). */
    public int type, code;
    /** ee_info: the MTU of a frag-needed / packet-too-big (and of a local EMSGSIZE). */
    public int info;
    /** 0 when no offender was given, else 4 or 6; its address in {@link #offender} (4 or 16 bytes). */
    public int offenderVersion;
    public final byte[] offender = new byte[16];

    /**
     * Reads the first IP_RECVERR / IPV6_RECVERR message from {@code control[0, len)} (a recvmsg
     * control buffer, {@code order} the host's byte order); false when there is none.
     */
    public boolean parse(byte[] control, int len, ByteOrder order) {
        boolean le = order == ByteOrder.LITTLE_ENDIAN;
        for (int at = 0; at + CMSG_HEADER <= len; ) {
            long cmsgLen = le ? long64le(control, at) : long64be(control, at);
            int level = int32(control, at + 8, le);
            int type = int32(control, at + 12, le);
            if (cmsgLen < CMSG_HEADER || cmsgLen > len - at) {
                return false;
            }
            if ((level == SOL_IP && type == IP_RECVERR || level == SOL_IPV6 && type == IPV6_RECVERR)
                    && cmsgLen >= CMSG_HEADER + EE_LENGTH) {
                read(control, at + CMSG_HEADER, (int) cmsgLen - CMSG_HEADER, le);
                return true;
            }
            at += (int) ((cmsgLen + CMSG_ALIGN - 1) & -CMSG_ALIGN);
        }
        return false;
    }

    private void read(byte[] b, int at, int len, boolean le) {
        errno = int32(b, at, le);
        origin = b[at + 4] & 0xFF;
        type = b[at + 5] & 0xFF;
        code = b[at + 6] & 0xFF;
        info = int32(b, at + 8, le);
        offenderVersion = 0;
        int sa = at + EE_LENGTH;
        int room = len - EE_LENGTH;
        if (room < 2) {
            return;
        }
        int family = le ? (b[sa] & 0xFF) | (b[sa + 1] & 0xFF) << 8 : (b[sa] & 0xFF) << 8 | (b[sa + 1] & 0xFF);
        if (family == AF_INET && room >= 8) {
            System.arraycopy(b, sa + 4, offender, 0, 4);
            offenderVersion = 4;
        } else if (family == AF_INET6 && room >= 24 && isV4Mapped(b, sa + 8)) {
            // An AF_INET6 socket (Netty's default) talking IPv4 names the router ::ffff:a.b.c.d.
            System.arraycopy(b, sa + 20, offender, 0, 4);
            offenderVersion = 4;
        } else if (family == AF_INET6 && room >= 24) {
            System.arraycopy(b, sa + 8, offender, 0, 16);
            offenderVersion = 6;
        }
    }

    private static boolean isV4Mapped(byte[] b, int at) {
        for (int i = 0; i < 10; i++) {
            if (b[at + i] != 0) {
                return false;
            }
        }
        return b[at + 10] == -1 && b[at + 11] == -1;
    }

    /** The offender's address is {@code a} (4 or 16 bytes; an IPv4-mapped IPv6 {@code a} matches its IPv4 form). */
    public boolean offenderIs(byte[] a) {
        if (a.length == 16 && offenderVersion == 4 && isV4Mapped(a, 0)) {
            return java.util.Arrays.equals(offender, 0, 4, a, 12, 16);
        }
        int n = offenderVersion == 4 ? 4 : 16;
        return offenderVersion != 0 && a.length == n && java.util.Arrays.equals(offender, 0, n, a, 0, n);
    }

    private static int int32(byte[] b, int at, boolean le) {
        return le ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | b[at + 3] << 24
                : b[at] << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static long long64le(byte[] b, int at) {
        return (int32(b, at, true) & 0xFFFF_FFFFL) | (long) int32(b, at + 4, true) << 32;
    }

    private static long long64be(byte[] b, int at) {
        return (long) int32(b, at, false) << 32 | (int32(b, at + 4, false) & 0xFFFF_FFFFL);
    }

    @Override
    public String toString() {
        return "errno " + errno + " origin " + origin + " type " + type + " code " + code + " info " + info;
    }
}
