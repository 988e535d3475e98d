package dev.tungate.gateway.cli;

/**
 * Bad input from the user: printed as one line ("tungate: " + message) with exit code 2, no
 * stack trace. The message names what was wrong and what was expected.
 */
public final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageError(String message) {
        super(message);
    }
}
