package dev.tungate.gateway.tcp;

import dev.tungate.tcp.Segment;

/**
 * Watches every segment of every flow of a shard, both ways; used by {@code tungate demo} to
 * narrate a connection. Called on the shard's loop; must not keep {@code seg}.
 */
public interface TcpObserver {
    /** A segment arrived from the namespace ({@code fromNamespace}) or is about to be written to it. */
    void segment(TcpFlow flow, boolean fromNamespace, Segment seg);

    /** Something happened on the upstream side (connect accepted or refused, FIN, reset). */
    void note(TcpFlow flow, String what);

    /** An engine call finished: {@link TcpFlow#state()} is now the state after the segments reported. */
    void settled(TcpFlow flow);
}
