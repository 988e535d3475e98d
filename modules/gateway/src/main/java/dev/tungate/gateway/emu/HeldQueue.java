package dev.tungate.gateway.emu;

import io.netty.buffer.ByteBuf;

/**
 * Frames waiting for their due time: a binary min-heap over parallel arrays (due ns, arrival
 * order, frame), ties broken by arrival order so equal due times leave first-in first-out, as
 * netem's tfifo does. Grows by doubling; the {@link Link} bounds it by its packet and byte limits,
 * so the arrays never outgrow the limit. Owns the frames it holds.
 */
final class HeldQueue {
    private long[] due = new long[16];
    private long[] order = new long[16];
    private ByteBuf[] frames = new ByteBuf[16];
    private int size;
    private long bytes;
    private long nextOrder;

    int size() { return size; }
    long bytes() { return bytes; }
    boolean isEmpty() { return size == 0; }

    /** Earliest due time, or Long.MAX_VALUE when empty. */
    long minDue() {
        return size == 0 ? Long.MAX_VALUE : due[0];
    }

    void add(long dueNanos, ByteBuf frame) {
        if (size == frames.length) grow();
        bytes += frame.readableBytes();
        int i = size++;
        long o = nextOrder++;
        while (i > 0) {   // sift up
            int parent = (i - 1) >>> 1;
            if (!less(dueNanos, o, due[parent], order[parent])) break;
            move(parent, i);
            i = parent;
        }
        set(i, dueNanos, o, frame);
    }

    /** Removes and returns the earliest frame (the caller owns it). */
    ByteBuf poll() {
        ByteBuf top = frames[0];
        bytes -= top.readableBytes();
        int last = --size;
        long d = due[last], o = order[last];
        ByteBuf f = frames[last];
        frames[last] = null;
        if (last > 0) {
            int i = 0;
            while (true) {   // sift down
                int child = 2 * i + 1;
                if (child >= last) break;
                if (child + 1 < last && less(due[child + 1], order[child + 1], due[child], order[child])) child++;
                if (!less(due[child], order[child], d, o)) break;
                move(child, i);
                i = child;
            }
            set(i, d, o, f);
        }
        return top;
    }

    /** Releases every frame held. */
    void clear() {
        for (int i = 0; i < size; i++) {
            frames[i].release();
            frames[i] = null;
        }
        size = 0;
        bytes = 0;
    }

    private static boolean less(long d1, long o1, long d2, long o2) {
        return d1 - d2 < 0 || (d1 == d2 && o1 < o2);
    }

    private void move(int from, int to) {
        set(to, due[from], order[from], frames[from]);
    }

    private void set(int i, long d, long o, ByteBuf f) {
        due[i] = d;
        order[i] = o;
        frames[i] = f;
    }

    private void grow() {
        int n = frames.length * 2;
        due = java.util.Arrays.copyOf(due, n);
        order = java.util.Arrays.copyOf(order, n);
        frames = java.util.Arrays.copyOf(frames, n);
    }
}
