package dev.tungate.tun;

/** A TUN device could not be opened or configured; the message is one line for the user. */
public final class TunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TunException(String message) {
        super(message);
    }
}
