package dev.tungate.tcp;

/** Connection states with their RFC 9293 §3.3.2 names. */
public enum State {
    CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING,
    LAST_ACK, TIME_WAIT;

    /** Synchronized states (RFC 9293 §3.5.2): a handshake has completed. */
    public boolean synchronizedState() {
        return ordinal() >= ESTABLISHED.ordinal();
    }
}
