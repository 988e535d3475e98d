package dev.tungate.gateway.config;

/** PLACEHOLDER by gateway-core so the CLI compiles; gateway-services owns this file and replaces it. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
