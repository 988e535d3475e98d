package dev.tungate.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The bytes queued toward the peer from SND.UNA on: acknowledged bytes leave at the front, new
 * bytes join at the back. Held as a ring of retained slices of the caller's buffers (no copy).
 *
 * <pre>
 *   chunk[head]          chunk[head+1]   ...   chunk[tail-1]
 *   |readerIndex.....|   |...........|         |..........|
 *   ^ first unacknowledged byte                           ^ end of queued data
 * </pre>
 *
 * Each chunk's readerIndex is ours to move: it marks the first byte not yet acknowledged.
 */
final class SendBuffer {
    private ByteBuf[] chunks = new ByteBuf[16];
    private int head;
    private int count;
    private int size;

    /** Bytes queued (unacknowledged plus unsent). */
    int size() {
        return size;
    }

    /** Queue {@code len} bytes of {@code data} from its readerIndex, retaining a slice. */
    void append(ByteBuf data, int len) {
        if (len <= 0) {
            return;
        }
        if (count == chunks.length) {
            ByteBuf[] grown = new ByteBuf[chunks.length * 2];
            for (int i = 0; i < count; i++) {
                grown[i] = chunks[(head + i) & (chunks.length - 1)];
            }
            chunks = grown;
            head = 0;
        }
        chunks[(head + count) & (chunks.length - 1)] = data.retainedSlice(data.readerIndex(), len);
        count++;
        size += len;
    }

    /** Drop {@code n} acknowledged bytes from the front. */
    void drop(int n) {
        n = Math.min(n, size);
        size -= n;
        while (n > 0) {
            ByteBuf c = chunks[head];
            int r = c.readableBytes();
            if (r <= n) {
                c.release();
                chunks[head] = null;
                head = (head + 1) & (chunks.length - 1);
                count--;
                n -= r;
            } else {
                c.skipBytes(n);
                n = 0;
            }
        }
    }

    /**
     * {@code len} bytes starting {@code offset} bytes after the front, as a new buffer the caller
     * releases: a retained slice when the range lies in one chunk, else a composite of slices.
     */
    ByteBuf text(int offset, int len) {
        int i = 0;
        ByteBuf c = chunks[head];
        while (offset >= c.readableBytes()) {
            offset -= c.readableBytes();
            c = chunks[(head + ++i) & (chunks.length - 1)];
        }
        if (c.readableBytes() - offset >= len) {
            return c.retainedSlice(c.readerIndex() + offset, len);
        }
        CompositeByteBuf composite = Unpooled.compositeBuffer(Math.max(2, count - i));
        while (len > 0) {
            int n = Math.min(len, c.readableBytes() - offset);
            composite.addComponent(true, c.retainedSlice(c.readerIndex() + offset, n));
            len -= n;
            offset = 0;
            if (len > 0) {
                c = chunks[(head + ++i) & (chunks.length - 1)];
            }
        }
        return composite;
    }

    /** Release everything (abort, reset, or close). */
    void release() {
        while (count > 0) {
            chunks[head].release();
            chunks[head] = null;
            head = (head + 1) & (chunks.length - 1);
            count--;
        }
        size = 0;
    }
}
