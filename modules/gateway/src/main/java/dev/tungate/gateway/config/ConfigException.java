package dev.tungate.gateway.config;

import java.nio.file.Path;

/** A config file that cannot be used, as one line: {@code FILE:LINE: what is wrong; expected what}. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(Path file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }
}
