package dev.tungate.gateway.emu;

import java.util.SplittableRandom;

/**
 * netem's {@code slot} (bursty delivery, as Wi-Fi aggregation or LTE grants): frames leave only
 * when a slot is open. A frame due after the last planned slot plans the next one, U(min, max)
 * after its due time (netem's get_slot_next() when slot_next < time_to_send); frames due by then
 * leave together when it opens, up to {@code slot-packets} / {@code slot-bytes} (0 = no limit);
 * when that budget is spent the next slot opens U(min, max) later. So delivery comes in bursts
 * at least min apart, each frame waiting at most max beyond its due time plus the bursts before it.
 */
final class SlotGate {
    private final SplittableRandom rnd;
    private long minNanos, maxNanos;
    private int packets;
    private long bytes;
    private long openNanos = Long.MIN_VALUE;
    private int packetsLeft;
    private long bytesLeft;

    SlotGate(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    void profile(DirectionProfile p) {
        minNanos = p.slotMinNanos();
        maxNanos = p.slotMaxNanos();
        packets = p.slotPackets();
        bytes = p.slotBytes();
        refill();
    }

    boolean enabled() {
        return minNanos != 0;
    }

    long openNanos() {
        return openNanos;
    }

    /** When a frame due at {@code dueNanos} can leave; plans the next slot if it missed the open one. */
    long releaseTime(long dueNanos) {
        if (openNanos == Long.MIN_VALUE || dueNanos - openNanos > 0) {
            openNanos = dueNanos + interval();
            refill();
        }
        return openNanos;
    }

    /** When the frame due at {@code dueNanos} would leave, without planning (for nextDueNanos). */
    long peekReleaseTime(long dueNanos) {
        return openNanos == Long.MIN_VALUE || dueNanos - openNanos > 0 ? dueNanos : openNanos;
    }

    /** A frame of {@code len} bytes left at {@code nowNanos}; closes the slot when its budget is spent. */
    void sent(int len, long nowNanos) {
        packetsLeft--;
        bytesLeft -= len;
        if (packetsLeft <= 0 || bytesLeft <= 0) {
            openNanos = nowNanos + interval();
            refill();
        }
    }

    private void refill() {
        packetsLeft = packets == 0 ? Integer.MAX_VALUE : packets;
        bytesLeft = bytes == 0 ? Long.MAX_VALUE : bytes;
    }

    private long interval() {
        return maxNanos > minNanos ? minNanos + (long) (rnd.nextDouble() * (maxNanos - minNanos)) : minNanos;
    }
}
