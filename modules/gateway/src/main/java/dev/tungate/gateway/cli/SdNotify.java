package dev.tungate.gateway.cli;

import java.nio.charset.StandardCharsets;
import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * sd_notify(3) without libsystemd: one datagram to the unix socket named by {@code NOTIFY_SOCKET},
 * a filesystem path or, with a leading '@', a name in the abstract namespace. The JDK's unix-domain
 * channels are stream-only, so the socket is made through libc (jnr-ffi, as the tun module does).
 * Also writes the slirp4netns-style readiness byte to an inherited fd ({@link #writeAndClose}).
 */
final class SdNotify {
    private SdNotify() { }

    /** The libc calls used here; names are the libc symbols. */
    @SaveError
    public interface Native {
        int socket(int domain, int type, int protocol);
        @ssize_t long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] addr, int addrLen);
        @ssize_t long write(int fd, @In byte[] buf, @size_t long len);
        int fcntl(int fd, int cmd, int arg);
        int close(int fd);
    }

    private static final class Lib {
        static final Native C = LibraryLoader.create(Native.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(C);
    }

    static final String ENV = "NOTIFY_SOCKET";
    // <sys/socket.h>, <sys/un.h>, <fcntl.h> on Linux.
    private static final int AF_UNIX = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000, MSG_NOSIGNAL = 0x4000, F_GETFD = 1;
    /** sizeof(sockaddr_un.sun_path). */
    private static final int SUN_PATH = 108;

    /**
     * Sends {@code state} (e.g. "READY=1") to {@code socket}, the value of NOTIFY_SOCKET. Returns false
     * when there is no socket to tell (not started by systemd); throws with errno's text when sending fails.
     */
    static boolean notify(String socket, String state) {
        if (socket == null || socket.isEmpty()) {
            return false;
        }
        byte[] addr = sockaddrUn(socket);
        byte[] msg = state.getBytes(StandardCharsets.UTF_8);
        int fd = Lib.C.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IllegalStateException("sd_notify: socket: " + lastError());
        }
        try {
            if (Lib.C.sendto(fd, msg, msg.length, MSG_NOSIGNAL, addr, addr.length) < 0) {
                throw new IllegalStateException("sd_notify to " + socket + ": " + lastError());
            }
            return true;
        } finally {
            Lib.C.close(fd);
        }
    }

    /**
     * struct sockaddr_un as bytes, trimmed to the length bind/sendto take: family (host order), then
     * the path with its NUL, or for '@name' a NUL and the name without one (unix(7), "abstract").
     */
    static byte[] sockaddrUn(String socket) {
        if (!socket.startsWith("/") && !socket.startsWith("@")) {
            throw new IllegalArgumentException(ENV + "=" + socket + ": expected an absolute path or @name");
        }
        byte[] name = socket.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = name[0] == '@';
        int pathLen = abstractName ? name.length : name.length + 1;
        if (pathLen > SUN_PATH) {
            throw new IllegalArgumentException(ENV + "=" + socket + ": longer than " + (SUN_PATH - 1) + " bytes");
        }
        byte[] addr = new byte[2 + pathLen];
        addr[0] = (byte) AF_UNIX; // sa_family_t in host order: little-endian on x86_64 and aarch64
        System.arraycopy(name, 0, addr, 2, name.length);
        if (abstractName) {
            addr[2] = 0;
        }
        return addr;
    }

    /** True when fd is open in this process (fcntl F_GETFD succeeds). */
    static boolean isOpen(int fd) {
        return Lib.C.fcntl(fd, F_GETFD, 0) >= 0;
    }

    /** Writes text to fd and closes it: the "1" slirp4netns writes to --ready-fd. */
    static void writeAndClose(int fd, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        try {
            if (Lib.C.write(fd, b, b.length) != b.length) {
                throw new IllegalStateException("--ready-fd " + fd + ": write: " + lastError());
            }
        } finally {
            Lib.C.close(fd);
        }
    }

    private static String lastError() {
        int errno = Lib.RUNTIME.getLastError();
        Errno e = Errno.valueOf(errno);
        return e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.description();
    }
}
