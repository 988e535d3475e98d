package dev.tungate.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** -q, -v, --log-level on every command, over TUNGATE_LOG_LEVEL and the command's own default. */
class LogOptionsTest {
    /** Parses args as the real command line does and returns the level apply() would set. */
    private static Level level(String env, String... args) {
        Main main = new Main();
        CommandLine.ParseResult parsed = new CommandLine(main).parseArgs(args);
        return main.logging.effectiveLevel(Main.defaultLevel(parsed), env);
    }

    @Test
    @DisplayName("run logs INFO (its start and stop line); exec, ctl and demo are quiet (WARN)")
    void defaults() {
        assertEquals(Level.INFO, level(null, "run", "--netns", "x"));
        assertEquals(Level.WARN, level(null, "exec", "--", "true"));
        assertEquals(Level.WARN, level(null, "ctl", "stats"));
        assertEquals(Level.WARN, level(null, "demo"));
    }

    @Test
    @DisplayName("each -v is one level more, wherever it stands on the line")
    void verbose() {
        assertEquals(Level.INFO, level(null, "exec", "-v", "--", "true"));
        assertEquals(Level.DEBUG, level(null, "-v", "run", "-v", "--netns", "x"));
        assertEquals(Level.TRACE, level(null, "run", "-vvvv", "--netns", "x"));
    }

    @Test
    void quietAndExplicitLevel() {
        assertEquals(Level.ERROR, level(null, "run", "-q", "--netns", "x"));
        assertEquals(Level.ERROR, level("debug", "exec", "--quiet", "--", "true"));
        assertEquals(Level.TRACE, level(null, "run", "-q", "--log-level", "trace", "--netns", "x"));
        assertEquals(Level.OFF, level(null, "ctl", "conns", "--log-level", "OFF"));
    }

    @Test
    @DisplayName("TUNGATE_LOG_LEVEL replaces the command's default, and -v climbs from there")
    void environment() {
        assertEquals(Level.DEBUG, level("debug", "exec", "--", "true"));
        assertEquals(Level.TRACE, level("debug", "exec", "-v", "--", "true"));
        assertThrows(UsageError.class, () -> level("loud", "exec", "--", "true"));
    }

    @Test
    @DisplayName("a bad --log-level is a usage error naming the choices, exit 2")
    void badLevel() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"ctl", "stats", "--log-level", "loud"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));
        assertEquals(2, code);
        assertEquals("tungate: Invalid value for option '--log-level': 'loud' is not a log level: expected off, error, "
                + "warn, info, debug or trace (see 'tungate ctl stats --help')", err.toString().strip());
    }
}
