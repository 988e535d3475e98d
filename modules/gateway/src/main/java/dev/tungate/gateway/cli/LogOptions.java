package dev.tungate.gateway.cli;

import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code -q}, {@code -v}, {@code --log-level}, {@code --log-format}: declared once on {@link Main} with
 * picocli's INHERIT scope, so every command and subcommand takes them, and applied through log4j2's
 * {@link Configurator} after parsing, before the command runs.
 *
 * <p>The level of the {@code dev.tungate} loggers, first match wins: {@code --log-level}; {@code -q}
 * (ERROR); the base level made {@code -v} steps more verbose. The base level is {@code TUNGATE_LOG_LEVEL}
 * if set, else the command's own default: INFO for {@code run} (a supervised daemon logs its start and
 * stop), WARN for everything else (where the user runs a program, as {@code pasta -- CMD}, tungate is
 * silent unless something goes wrong).
 */
public final class LogOptions {
    /** The level ladder that {@code -v} climbs. */
    private static final Level[] LADDER = {Level.OFF, Level.FATAL, Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE};
    /** Read by the arbiter in log4j2.xml; set before the configuration is reloaded. */
    static final String FORMAT_PROPERTY = "tungate.log.format";
    static final String LEVEL_ENV = "TUNGATE_LOG_LEVEL";

    /** Log output formats. */
    public enum Format { text, json }

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "log errors only")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "log more: each -v one level more than the command's default (run: INFO, others: WARN)")
    boolean[] verbose = new boolean[0];

    @Option(names = "--log-level", scope = ScopeType.INHERIT, paramLabel = "LEVEL", converter = LevelConverter.class,
            description = "log level of tungate: off, error, warn, info, debug, trace (overrides -q, -v and TUNGATE_LOG_LEVEL)")
    Level level;

    @Option(names = "--log-format", scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "log line format on stderr: text (ISO-8601 time, level, thread, logger) or json "
                    + "(log4j2 JsonTemplateLayout, Elastic Common Schema), default text")
    Format format;

    /** The level the options, the environment and the command's default give. */
    Level effectiveLevel(Level commandDefault, String envLevel) {
        if (level != null) {
            return level;
        }
        if (quiet) {
            return Level.ERROR;
        }
        Level base = commandDefault;
        if (envLevel != null && !envLevel.isBlank()) {
            base = Level.toLevel(envLevel.trim(), null);
            if (base == null) {
                throw new UsageError(LEVEL_ENV + "=" + envLevel + ": expected one of off, error, warn, info, debug, trace");
            }
        }
        return verbose.length == 0 ? base : LADDER[Math.min(LADDER.length - 1, rung(base) + verbose.length)];
    }

    /** Applies the format, then the level, to the running log4j2 configuration. */
    void apply(Level commandDefault) {
        if (format == Format.json) {
            System.setProperty(FORMAT_PROPERTY, "json");
            ((LoggerContext) LogManager.getContext(false)).reconfigure();
        }
        Level l = effectiveLevel(commandDefault, System.getenv(LEVEL_ENV));
        Configurator.setLevel("dev.tungate", l);
        if (quiet) {
            Configurator.setLevel("io.netty", Level.ERROR);
            Configurator.setRootLevel(Level.ERROR);
        }
    }

    private static int rung(Level l) {
        for (int i = 0; i < LADDER.length; i++) {
            if (LADDER[i].equals(l)) {
                return i;
            }
        }
        return 3;
    }

    /** Level names as log4j2 spells them, any case; anything else is a usage error naming the choices. */
    static final class LevelConverter implements ITypeConverter<Level> {
        @Override
        public Level convert(String value) {
            Level l = Level.toLevel(value.toUpperCase(Locale.ROOT), null);
            if (l == null || l.equals(Level.ALL) || l.equals(Level.FATAL)) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a log level: expected off, error, warn, info, debug or trace");
            }
            return l;
        }
    }
}
