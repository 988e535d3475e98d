package dev.tungate.tcp;

import io.netty.buffer.ByteBuf;

/**
 * One TCP connection, sans-IO. API contract (the engine is filled in behind it):
 * the caller passes segments and {@code nowNanos}; output goes through {@link TcpOutput}.
 */
public final class TcpConnection {
    private final TcpConfig config;
    private final TcpOutput out;
    private State state = State.CLOSED;

    public TcpConnection(TcpConfig config, TcpOutput out) {
        this.config = config;
        this.out = out;
    }

    /** Passive open: CLOSED to LISTEN. The next SYN is answered with SYN-ACK from {@code iss}. */
    public void listen(int iss) { throw new UnsupportedOperationException("engine pending"); }

    /** Active open: CLOSED to SYN-SENT, emits SYN with {@code iss}. */
    public void connect(int iss, long nowNanos) { throw new UnsupportedOperationException("engine pending"); }

    /** RFC 9293 §3.10.7: the one entry point for arriving segments. */
    public void segmentArrives(Segment seg, long nowNanos) { throw new UnsupportedOperationException("engine pending"); }

    /**
     * Queue bytes toward the peer. Takes what fits in the send buffer (retaining a slice; the caller
     * keeps ownership of {@code data}) and returns how many bytes were taken.
     */
    public int send(ByteBuf data, long nowNanos) { throw new UnsupportedOperationException("engine pending"); }

    /** Free send-buffer space in bytes. */
    public int sendSpace() { throw new UnsupportedOperationException("engine pending"); }

    /** The user consumed {@code bytes} previously delivered: the receive window may reopen. */
    public void consumed(int bytes, long nowNanos) { throw new UnsupportedOperationException("engine pending"); }

    /** RFC 9293 §3.10.4 CLOSE: FIN after the queued bytes. */
    public void close(long nowNanos) { throw new UnsupportedOperationException("engine pending"); }

    /** RFC 9293 §3.10.5 ABORT: RST now, then CLOSED. */
    public void abort(long nowNanos) { throw new UnsupportedOperationException("engine pending"); }

    /** Run every timer due at {@code nowNanos}. */
    public void onTimer(long nowNanos) { throw new UnsupportedOperationException("engine pending"); }

    /** Earliest timer deadline, or {@link Long#MAX_VALUE} when none is armed. */
    public long nextDeadlineNanos() { return Long.MAX_VALUE; }

    public State state() { return state; }
}
