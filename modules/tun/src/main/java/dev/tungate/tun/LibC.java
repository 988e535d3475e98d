package dev.tungate.tun;

import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc calls the device side needs, bound through jnr-ffi. Control path only: the fast path reads and writes
 * TUN fds through Netty's {@code FileDescriptor}. Every call saves errno; read it with {@link #errno()} right after a
 * failed call on the same thread.
 */
final class LibC {
    private LibC() { }

    /** The jnr-ffi binding; method names are the libc symbols. */
    @SaveError
    public interface Native {
        int open(String path, int flags);
        int close(int fd);
        int ioctl(int fd, long request, @In @Out byte[] arg);
        int ioctl(int fd, long request, long arg);
        int setns(int fd, int nstype);
        int unshare(int flags);
        int socket(int domain, int type, int protocol);
        int bind(int fd, @In byte[] addr, int addrLen);
        @ssize_t long send(int fd, @In byte[] buf, @size_t long len, int flags);
        @ssize_t long recv(int fd, @Out byte[] buf, @size_t long len, int flags);
        int mount(String source, String target, String fsType, long flags, Pointer data);
        int umount2(String target, int flags);
    }

    static final Native C = LibraryLoader.create(Native.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(C);

    // <fcntl.h>, <sched.h>, <sys/socket.h>, <sys/mount.h> on Linux x86_64 / aarch64.
    static final int O_RDONLY = 0, O_RDWR = 2, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16;
    static final int SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000;
    static final long MS_BIND = 0x1000;
    static final int MNT_DETACH = 2;
    /** ioctl_ns(2): NS_GET_NSTYPE answers the CLONE_NEW* type of an nsfs fd (Linux 4.11+). */
    static final long NS_GET_NSTYPE = 0xb703;
    static final int EINTR = 4, ENOENT = 2, EAGAIN = 11, EBUSY = 16, EPERM = 1, EACCES = 13, EINVAL = 22;

    static int errno() {
        return RUNTIME.getLastError();
    }

    /** strerror(errno) as the kernel headers describe it, e.g. "File exists". */
    static String describe(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.description();
    }

    /** Closes fd, ignoring failure: used on cleanup paths where the first error is the one to report. */
    static void closeQuietly(int fd) {
        if (fd >= 0) {
            C.close(fd);
        }
    }
}
