package dev.tungate.gateway.icmp;

import dev.tungate.gateway.shard.FlowKey;
import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One namespace echo conversation (source, destination, identifier) and the host ICMP socket that
 * carries it, registered on the shard's loop as an epoll IoHandle. EPOLLIN is level-triggered:
 * {@link #handle} reads at most {@link #READ_BUDGET} messages and returns, as the TUN queue does.
 */
final class EchoFlow implements EpollIoHandle {
    static final int READ_BUDGET = 16;

    final FlowKey key;
    /** A raw socket: replies include the IPv4 header, and the identifier is ours to check. */
    final boolean raw;
    long lastActiveNanos;
    private final IcmpRelay relay;
    private final FileDescriptor fd;
    private IoRegistration registration;
    private boolean closed;

    EchoFlow(IcmpRelay relay, FlowKey key, int fd, boolean raw, long nowNanos) {
        this.relay = relay;
        this.key = key;
        this.fd = new FileDescriptor(fd);
        this.raw = raw;
        this.lastActiveNanos = nowNanos;
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    /** Called by the relay once the loop has registered this handle. */
    void registered(IoRegistration r) {
        if (closed) {
            r.cancel();
            return;
        }
        registration = r;
        r.submit(EpollIoOps.EPOLLIN);
    }

    /** Sends one ICMP message from a direct buffer; false when the kernel refused it (not EAGAIN). */
    boolean send(ByteBuf direct, int off, int len) {
        ByteBuffer nio = direct.internalNioBuffer(off, len);
        try {
            fd.write(nio, nio.position(), nio.limit());
            return true;
        } catch (IOException e) {
            relay.sendFailed(this, e);
            return false;
        }
    }

    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        if (!ops.contains(EpollIoOps.EPOLLIN) && !ops.contains(EpollIoOps.EPOLLERR)) {
            return;
        }
        ByteBuf scratch = relay.scratch();
        for (int i = 0; i < READ_BUDGET && !closed; i++) {
            ByteBuffer nio = scratch.internalNioBuffer(0, scratch.capacity());
            int n;
            try {
                n = fd.read(nio, nio.position(), nio.limit());
            } catch (IOException e) {
                // A pending socket error (sk_err) is reported once by read and cleared.
                relay.readFailed(this, e);
                continue;
            }
            if (n <= 0) {   // 0: EAGAIN
                return;
            }
            relay.replyIn(this, scratch, n);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (registration != null) {
            registration.cancel();
        }
        try {
            fd.close();
        } catch (IOException e) {
            // Closing a socket we own: nothing the caller could do.
        }
    }
}
