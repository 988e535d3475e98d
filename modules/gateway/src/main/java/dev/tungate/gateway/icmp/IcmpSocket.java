package dev.tungate.gateway.icmp;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;

/**
 * Opens the host-side ICMP sockets through libc (jnr-ffi): Netty has no socket type for them. Once
 * open, the fd is read and written through Netty's {@code FileDescriptor} on the shard's loop.
 *
 * <p>Two kinds: the unprivileged "ping" socket, {@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}
 * (Linux 3.0+; allowed when our gid is inside net.ipv4.ping_group_range, else EACCES), where the
 * kernel owns the echo identifier and the checksum; and the raw socket (CAP_NET_RAW), which sends
 * the message as given and receives every ICMP message of the host (IPv4 with its IP header).
 */
final class IcmpSocket {
    /** The jnr-ffi binding; method names are the libc symbols. */
    @SaveError
    public interface Native {
        int socket(int domain, int type, int protocol);
        int connect(int fd, @In byte[] addr, int addrLen);
        int close(int fd);
    }

    private static final Native C = LibraryLoader.create(Native.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(C);

    // <sys/socket.h>, <netinet/in.h> on Linux.
    static final int AF_INET = 2, AF_INET6 = 10;
    static final int SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    static final int IPPROTO_ICMP = 1, IPPROTO_ICMPV6 = 58;

    private IcmpSocket() { }

    /**
     * Whether this thread's network namespace lets us open such a socket: 0, or the errno of
     * socket(2) (EACCES for a ping socket outside net.ipv4.ping_group_range, EPERM for raw without
     * CAP_NET_RAW). Also binds libc early: jnr-ffi generates the binding on first use, which costs
     * tens of milliseconds that would otherwise delay the namespace's first ping.
     */
    static int probe(boolean v6, boolean raw) {
        int fd = C.socket(v6 ? AF_INET6 : AF_INET, (raw ? SOCK_RAW : SOCK_DGRAM) | SOCK_CLOEXEC, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
        if (fd < 0) {
            return RUNTIME.getLastError();
        }
        C.close(fd);
        return 0;
    }

    /** Failure to open or connect, naming the call and the kernel's reason. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        Failure(String what, int errno) {
            super(what + ": " + describe(errno));
        }
    }

    /** A non-blocking ICMP socket of the family of {@code dst}, connected to it (so it hears only dst). */
    static int open(InetAddress dst, boolean raw) throws Failure {
        boolean v6 = dst instanceof Inet6Address;
        int fd = C.socket(v6 ? AF_INET6 : AF_INET, (raw ? SOCK_RAW : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC,
                v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
        if (fd < 0) {
            throw new Failure("socket(" + (v6 ? "AF_INET6" : "AF_INET") + ", " + (raw ? "SOCK_RAW" : "SOCK_DGRAM") + ", ICMP)",
                    RUNTIME.getLastError());
        }
        byte[] sa = sockaddr(dst);
        if (C.connect(fd, sa, sa.length) < 0) {
            int errno = RUNTIME.getLastError();
            C.close(fd);
            throw new Failure("connect(" + dst.getHostAddress() + ")", errno);
        }
        return fd;
    }

    /** struct sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes), port 0; family and scope in host order. */
    static byte[] sockaddr(InetAddress a) {
        boolean le = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        byte[] ip = a.getAddress();
        byte[] sa = new byte[ip.length == 4 ? 16 : 28];
        int family = ip.length == 4 ? AF_INET : AF_INET6;
        sa[le ? 0 : 1] = (byte) family;
        if (ip.length == 4) {
            System.arraycopy(ip, 0, sa, 4, 4);                       // sin_addr
        } else {
            System.arraycopy(ip, 0, sa, 8, 16);                      // sin6_addr after sin6_flowinfo
            int scope = ((Inet6Address) a).getScopeId();
            for (int i = 0; i < 4; i++) {
                sa[24 + i] = (byte) (scope >>> (le ? 8 * i : 24 - 8 * i));
            }
        }
        return sa;
    }

    static String describe(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.description();
    }
}
