package dev.tungate.gateway.config;

import java.nio.file.Path;

/** PLACEHOLDER by gateway-core so the CLI compiles; gateway-services owns this file and replaces it. */
public final class ConfigFile {
    private ConfigFile() { }

    public static void parse(Path file, GatewayConfig into) throws ConfigException {
        throw new ConfigException(file + ": config files are not supported by this build yet");
    }
}
