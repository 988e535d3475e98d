package dev.tungate.gateway.emu;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The bottleneck's queue: a ring of frames with their arrival times, first in first out. Grows by
 * doubling; the {@link Link} bounds it by its limits. Owns the frames it holds.
 */
final class FrameFifo {
    private ByteBuf[] frames = new ByteBuf[16];
    private long[] arrival = new long[16];
    private int head, size;
    private long bytes;

    int size() { return size; }
    long bytes() { return bytes; }
    boolean isEmpty() { return size == 0; }

    long headArrivalNanos() {
        return arrival[head];
    }

    void add(ByteBuf frame, long arrivalNanos) {
        if (size == frames.length) grow();
        int i = (head + size) & (frames.length - 1);
        frames[i] = frame;
        arrival[i] = arrivalNanos;
        size++;
        bytes += frame.readableBytes();
    }

    ByteBuf poll() {
        ByteBuf f = frames[head];
        frames[head] = null;
        head = (head + 1) & (frames.length - 1);
        size--;
        bytes -= f.readableBytes();
        return f;
    }

    void clear() {
        while (size > 0) poll().release();
    }

    private void grow() {
        int n = frames.length;
        ByteBuf[] f = new ByteBuf[n * 2];
        long[] a = new long[n * 2];
        for (int k = 0; k < size; k++) {
            f[k] = frames[(head + k) & (n - 1)];
            a[k] = arrival[(head + k) & (n - 1)];
        }
        frames = f;
        arrival = a;
        head = 0;
        Arrays.fill(frames, size, frames.length, null);
    }
}
