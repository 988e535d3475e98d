package dev.tungate.tcp;

import io.netty.buffer.ByteBuf;

/**
 * What a kept buffer really costs. Text arrives as a slice of the buffer it was read into (a TUN
 * read takes a ~64 KiB pooled buffer for any frame), and a retained slice keeps all of that buffer
 * alive: 256 held 64-byte segments would pin 16 MiB. Whoever keeps text past the call that brought
 * it (the reassembly queue, the gateway's upstream write queue) keeps small text as a right-sized
 * copy instead, so what it holds stays within twice its payload.
 */
public final class Pinning {
    private Pinning() {
    }

    /** The capacity of the buffer {@code b} is a view of (itself when it is not a view). */
    public static int backingCapacity(ByteBuf b) {
        ByteBuf u = b;
        for (ByteBuf next = u.unwrap(); next != null; next = u.unwrap()) {
            u = next;
        }
        return u.capacity();
    }

    /** Keeping {@code b} would hold more than twice its readable bytes. */
    public static boolean wasteful(ByteBuf b) {
        return 2L * b.readableBytes() < backingCapacity(b);
    }

    /**
     * {@code b} itself when keeping it costs at most twice its bytes, else a right-sized copy from
     * the same allocator, {@code b} released. Takes ownership of {@code b}; may throw
     * OutOfMemoryError (the caller's flow is then reset, see the gateway's TcpRelay).
     */
    public static ByteBuf compact(ByteBuf b) {
        if (!wasteful(b)) {
            return b;
        }
        int n = b.readableBytes();
        try {
            return b.alloc().directBuffer(n, n).writeBytes(b, b.readerIndex(), n);
        } finally {
            b.release();
        }
    }
}
