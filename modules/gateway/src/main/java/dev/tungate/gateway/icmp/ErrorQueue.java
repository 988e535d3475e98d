package dev.tungate.gateway.icmp;

import java.nio.ByteOrder;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * Reads a socket's error queue: {@code recvmsg(fd, MSG_ERRQUEUE | MSG_DONTWAIT)} through libc
 * (jnr-ffi), because Netty's epoll channels do not expose it. The kernel queues there, once
 * IP_RECVERR / IPV6_RECVERR is on, every ICMP error the path sends about the socket's datagrams
 * (and a SYN's), with the router's address; a queued error also raises EPOLLERR, which Netty turns
 * into a read or connect failure on the same loop, and that is when the owner drains the queue.
 *
 * <p>One per shard, used on its loop only: the msghdr, iovec and buffers are allocated once.
 */
final class ErrorQueue {
    /** The jnr-ffi binding; the method name is the libc symbol. */
    @SaveError
    public interface Native {
        long recvmsg(int fd, Pointer msg, int flags);
    }

    private static final Native C = LibraryLoader.create(Native.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(C);
    static final int MSG_DONTWAIT = 0x40, MSG_ERRQUEUE = 0x2000;
    /** Queued errors read per call at most (each is one ICMP message the kernel accepted for this socket). */
    static final int MAX_PER_DRAIN = 64;
    private static final int NAME = 128, DATA = 64, CONTROL = 256;
    // struct msghdr on LP64: name, namelen (+pad), iov, iovlen, control, controllen, flags: 56 bytes.
    private static final int MSG_NAME = 0, MSG_NAMELEN = 8, MSG_IOV = 16, MSG_IOVLEN = 24, MSG_CONTROL = 32,
            MSG_CONTROLLEN = 40, MSG_FLAGS = 48, MSGHDR = 56, IOVEC = 16;

    private final Pointer msg = Memory.allocateDirect(RUNTIME, MSGHDR, true);
    private final Pointer iov = Memory.allocateDirect(RUNTIME, IOVEC, true);
    private final Pointer name = Memory.allocateDirect(RUNTIME, NAME, true);
    private final Pointer data = Memory.allocateDirect(RUNTIME, DATA, true);
    private final Pointer control = Memory.allocateDirect(RUNTIME, CONTROL, true);
    private final byte[] controlCopy = new byte[CONTROL];

    ErrorQueue() {
        iov.putAddress(0, data.address());
        iov.putLong(8, DATA);
        msg.putAddress(MSG_NAME, name.address());
        msg.putAddress(MSG_IOV, iov.address());
        msg.putLong(MSG_IOVLEN, 1);
        msg.putAddress(MSG_CONTROL, control.address());
    }

    /**
     * The next queued error of {@code fd} into {@code out}: true when one was read (its origin is
     * {@link SockExtendedErr#ORIGIN_NONE} if it carried no IP_RECVERR / IPV6_RECVERR message);
     * false when the queue is empty (EAGAIN) or the call failed.
     */
    boolean next(int fd, SockExtendedErr out) {
        msg.putInt(MSG_NAMELEN, NAME);
        msg.putLong(MSG_CONTROLLEN, CONTROL);
        msg.putInt(MSG_FLAGS, 0);
        long n = C.recvmsg(fd, msg, MSG_ERRQUEUE | MSG_DONTWAIT);
        if (n < 0) {
            return false;
        }
        int len = (int) Math.min(CONTROL, msg.getLong(MSG_CONTROLLEN));
        control.get(0, controlCopy, 0, len);
        if (!out.parse(controlCopy, len, ByteOrder.nativeOrder())) {
            out.origin = SockExtendedErr.ORIGIN_NONE;
            out.offenderVersion = 0;
        }
        return true;
    }
}
