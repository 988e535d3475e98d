package dev.tungate.gateway.emu;

/**
 * The bottleneck's transmitter: when the head of the queue can start and when it has left.
 * Implementations keep their own schedule state; times are absolute ns of the caller's clock.
 */
interface Server {
    /** When a packet that arrived at {@code arrivalNanos} would start service now (no state change). */
    long nextStart(long arrivalNanos);

    /** Serves {@code bytes} that arrived at {@code arrivalNanos}; returns when the last byte has left. */
    long serve(long arrivalNanos, int bytes);
}
