package dev.tungate.tcp.table;

/**
 * Hashed timer wheel driven by the caller's clock; entries are preallocated objects with no allocation per schedule.
 *
 * <p>Time is cut into ticks of {@code tickNanos} counted from the {@code nowNanos} given at
 * construction; a timer due in tick T hangs in slot T mod slots, in an intrusive doubly linked
 * list, so schedule, reschedule and cancel are O(1). A deadline more than one revolution away
 * shares a slot with nearer ones and is skipped (its deadline is compared) until its round comes.
 * {@link #expire} walks the ticks that passed since the last call and also looks at the current
 * tick's slot, so a timer fires at the first {@code expire(now)} with {@code now >= deadline},
 * never early. A deadline already past fires at the next {@code expire}. Not thread-safe.
 */
public final class TimerWheel {
    private static final int NOT_SCHEDULED = -1;

    private final long tickNanos;
    private final long originNanos;
    private final int mask;
    /** List heads: one per slot, plus, at index slots, the timers collected by the running expire(). */
    private final Timer[] heads;
    private final int firing;
    /** The last tick all of whose due timers were collected. */
    private long doneTick;
    private int size;

    /** @param slots rounded up to a power of two */
    public TimerWheel(long tickNanos, int slots, long nowNanos) {
        if (tickNanos <= 0 || slots <= 0 || slots > 1 << 30) {
            throw new IllegalArgumentException("tickNanos and slots must be positive, were " + tickNanos + ", " + slots);
        }
        this.tickNanos = tickNanos;
        this.originNanos = nowNanos;
        int n = slots == 1 ? 1 : Integer.highestOneBit(slots - 1) << 1;
        this.mask = n - 1;
        this.heads = new Timer[n + 1];
        this.firing = n;
        this.doneTick = -1;
    }

    private long tickOf(long nanos) {
        long since = nanos - originNanos;
        if (nanos > 0 && originNanos < 0 && since < 0) {
            since = Long.MAX_VALUE;                   // overflowed: as far away as it gets
        }
        return Math.floorDiv(since, tickNanos);
    }

    /** Reschedule moves it; one slot per timer. */
    public void schedule(Timer t, long deadlineNanos) {
        if (t.slot != NOT_SCHEDULED) {
            unlink(t);
        }
        t.deadlineNanos = deadlineNanos;
        link(t, (int) (Math.max(tickOf(deadlineNanos), doneTick + 1) & mask));
    }

    public void cancel(Timer t) {
        if (t.slot != NOT_SCHEDULED) {
            unlink(t);
        }
    }

    /** Fire every timer with deadline <= nowNanos; returns how many fired. */
    public int expire(long nowNanos) {
        long nowTick = tickOf(nowNanos);
        if (nowTick - doneTick > mask + 1) {
            for (int s = 0; s <= mask; s++) {
                collect(s, nowNanos);
            }
        } else {
            for (long tick = doneTick + 1; tick < nowTick; tick++) {
                collect((int) (tick & mask), nowNanos);
            }
            collect((int) (nowTick & mask), nowNanos);
        }
        doneTick = Math.max(doneTick, nowTick - 1);
        int fired = 0;
        Timer t;
        while ((t = heads[firing]) != null) {
            unlink(t);                                // before the callback, which may reschedule t
            t.expired(nowNanos);
            fired++;
        }
        return fired;
    }

    /** Move the due timers of one slot to the firing list; callbacks run only after collecting. */
    private void collect(int slot, long nowNanos) {
        Timer t = heads[slot];
        while (t != null) {
            Timer next = t.next;
            if (t.deadlineNanos - nowNanos <= 0) {
                unlink(t);
                link(t, firing);
            }
            t = next;
        }
    }

    private void link(Timer t, int slot) {
        Timer head = heads[slot];
        t.prev = null;
        t.next = head;
        if (head != null) {
            head.prev = t;
        }
        heads[slot] = t;
        t.slot = slot;
        size++;
    }

    private void unlink(Timer t) {
        if (t.prev != null) {
            t.prev.next = t.next;
        } else {
            heads[t.slot] = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        }
        t.prev = null;
        t.next = null;
        t.slot = NOT_SCHEDULED;
        size--;
    }

    /** Timers scheduled and not yet fired or cancelled. */
    public int size() {
        return size;
    }

    /** One timer; preallocated by its owner (e.g. one per connection and purpose) and reused. */
    public abstract static class Timer {
        Timer prev;
        Timer next;
        int slot = NOT_SCHEDULED;
        long deadlineNanos;

        protected abstract void expired(long nowNanos);

        public boolean scheduled() {
            return slot != NOT_SCHEDULED;
        }

        /** The deadline last scheduled; meaningful while {@link #scheduled()}. */
        public long deadlineNanos() {
            return deadlineNanos;
        }
    }
}
