package dev.tungate.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code --version} as pasta and ss answer it: the build's version and commit, then what the process runs on. */
class VersionTest {
    private static List<String> version(String... args) {
        StringWriter out = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertEquals(0, code, out.toString());
        return out.toString().lines().toList();
    }

    @Test
    @DisplayName("tungate --version: version and commit from the build, Netty, JDK and kernel in use")
    void versionLines() throws Exception {
        List<String> lines = version("--version");
        assertEquals(4, lines.size(), lines.toString());
        String commit = gitHead();
        // The filtered resource: the project's version, and the commit the build was made from.
        assertTrue(lines.get(0).matches("tungate \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{12}|unknown)(, with local changes)?\\)"),
                lines.get(0));
        if (commit != null) {
            assertTrue(lines.get(0).contains("(commit " + commit), lines.get(0) + " vs git HEAD " + commit);
        }
        assertTrue(lines.get(1).matches("netty 4\\.2\\.\\d+\\.Final \\(commit [0-9a-f]+\\)"), lines.get(1));
        assertTrue(lines.get(2).startsWith("java " + Runtime.version() + " ("), lines.get(2));
        assertEquals("kernel Linux " + System.getProperty("os.version") + " " + System.getProperty("os.arch"), lines.get(3));
    }

    @Test
    @DisplayName("-V and --version answer on a subcommand too")
    void onSubcommands() {
        assertEquals(version("--version"), version("run", "-V"));
        assertEquals(version("--version"), version("ctl", "conns", "--version"));
    }

    @Test
    void unfilteredPlaceholderReadsUnknown() {
        assertEquals("unknown", VersionInfo.known("${git.commit.id.abbrev}"));
        assertEquals("unknown", VersionInfo.known(null));
        assertEquals("0123456789ab", VersionInfo.known("0123456789ab"));
    }

    /** git's own abbreviation of HEAD at 12 digits, or null outside a git checkout. */
    private static String gitHead() throws Exception {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? s : null;
        } catch (java.io.IOException noGit) {
            return null;
        }
    }
}
