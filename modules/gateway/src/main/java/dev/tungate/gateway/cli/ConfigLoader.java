package dev.tungate.gateway.cli;

import dev.tungate.gateway.config.ConfigException;
import dev.tungate.gateway.config.ConfigFile;
import dev.tungate.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads --config FILE into a config, turning the parser's "file:line: expected ..." into a usage error. */
final class ConfigLoader {
    private ConfigLoader() { }

    static void load(Path file, GatewayConfig into) {
        if (!Files.isReadable(file)) {
            throw new UsageError("cannot read --config " + file + ": expected a readable file of 'key = value' lines");
        }
        try {
            ConfigFile.parse(file, into);
        } catch (ConfigException e) {
            throw new UsageError(e.getMessage());
        }
    }
}
