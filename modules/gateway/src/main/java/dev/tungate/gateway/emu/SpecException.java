package dev.tungate.gateway.emu;

/**
 * A bad impairment SPEC: the message is one line, {@code KEY: found 'X', expected Y}, ready for
 * the CLI (exit 2), the config loader ({@code FILE:LINE: } in front) or a ctl {@code error:} answer.
 */
public final class SpecException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String key;

    public SpecException(String key, String found, String expected) {
        super(key + ": found '" + found + "', expected " + expected, null, false, false);
        this.key = key;
    }

    /** The key the message names (without an {@code up.}/{@code down.} prefix). */
    public String key() {
        return key;
    }
}
