package dev.tungate.gateway.emu;

/** Why a {@link Link} dropped a frame; each has its own counter in {@link LinkCounters}. */
public enum DropReason {
    /** The loss model (random, Gilbert-Elliott, 4-state) chose it. */
    LOSS,
    /** Droptail: the link already held {@code limit} packets or {@code limit-bytes} bytes. */
    QUEUE,
    /** CoDel (RFC 8289) dropped it at the head of the bottleneck queue. */
    CODEL,
    /** One of the first {@code syn-drop=N} SYNs of the flow. */
    SYN_DROP,
    /** Offered after {@link Link#close()}. */
    CLOSED
}
