package dev.tungate.tcp;

/** What the engine tells its user, besides segments and bytes. */
public enum TcpEvent {
    /** The handshake completed (SYN-RECEIVED or SYN-SENT to ESTABLISHED). */
    ESTABLISHED,
    /** The peer's FIN arrived in order: no more bytes will be delivered (half-close). */
    PEER_FIN,
    /** Send space opened after the send buffer was full: the user may call send() again. */
    WRITABLE,
    /** The peer reset the connection (RST accepted), or the handshake was refused. */
    RESET,
    /** The retransmission or handshake retry limit was hit: the engine aborted with RST. */
    TIMED_OUT,
    /** The connection reached CLOSED (after TIME-WAIT, LAST-ACK, or an abort). Final event. */
    CLOSED
}
