package dev.tungate.tcp;

import io.netty.buffer.ByteBuf;

/**
 * The engine's only way out: the port the gateway (or a test, or the simulator) implements.
 * Calls happen synchronously inside the engine method that caused them.
 */
public interface TcpOutput {
    /**
     * A segment to put on the wire toward the peer. {@code seg} and its text are only valid during
     * the call: the callee copies or retains what it keeps. Super-segments carry
     * {@code seg.gsoSize > 0}.
     */
    void emit(Segment seg);

    /**
     * In-order bytes for the user. Ownership moves to the callee, which releases {@code data};
     * the receive window reopens only as the callee reports {@link TcpConnection#consumed}.
     */
    void deliver(ByteBuf data);

    /** A connection event; see {@link TcpEvent}. */
    void event(TcpEvent event);
}
