package dev.tungate.tun;

/** A network namespace could not be opened, created or entered; the message is one line for the user. */
public final class NetnsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NetnsException(String message) {
        super(message);
    }

    public NetnsException(String message, Throwable cause) {
        super(message, cause);
    }
}
