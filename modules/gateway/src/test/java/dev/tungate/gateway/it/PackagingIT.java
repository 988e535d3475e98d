package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.RootGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What `mvn package` ships beside the jar, checked with the tools that consume it: the man pages (generated
 * from the picocli annotations) through man(1), the bash completion through bash, and config/tungate@.service
 * through systemd-analyze verify, and the class-data-sharing archive through the JVM that bin/tungate starts. A missing
 * tool skips outside CI and fails under CI=true.
 */
class PackagingIT {
    private static Path target() {
        return ItEnv.home().resolve("modules/gateway/target");
    }

    private static void requireTool(String tool) {
        if (ItEnv.which(tool) == null) RootGate.unmet("needs " + tool + " on the PATH");
    }

    @Test
    @DisplayName("man -l renders tungate(1) and a page for every subcommand")
    void manPagesRender() {
        requireTool("man");
        Path man = target().resolve("man");
        for (String page : List.of("tungate", "tungate-run", "tungate-exec", "tungate-demo", "tungate-ctl",
                "tungate-ctl-conns", "tungate-ctl-stats", "tungate-ctl-capture")) {
            Path file = man.resolve(page + ".1");
            assertTrue(Files.isRegularFile(file), file + " (built by mvn package)");
            Exec.Result r = Exec.run(Duration.ofSeconds(30), List.of("man", "--warnings", "-l", file.toString()),
                    java.util.Map.of("MANWIDTH", "80", "MANPAGER", "cat", "PAGER", "cat"));
            r.expectOk("man -l " + file);
            assertEquals("", r.err(), "groff warnings for " + file);
            String text = r.out().replaceAll(".\b", ""); // drop overstrike bold/underline if any
            assertTrue(text.contains("NAME") && text.contains("SYNOPSIS") && text.contains("OPTIONS"), text);
            assertTrue(text.contains(page.replace("tungate-", "tungate ").replace("-", " ")) || text.contains(page), text);
            assertTrue(text.contains("--help"), text);
        }
        String exec = Exec.run(Duration.ofSeconds(30), List.of("man", "-l", man.resolve("tungate-exec.1").toString()),
                java.util.Map.of("MANWIDTH", "100", "MANPAGER", "cat")).out();
        assertTrue(exec.contains("tungate exec -- curl http://10.0.2.2:8080/"), "two dashes stay two dashes:\n" + exec);
    }

    @Test
    @DisplayName("the bash completion script parses and completes subcommands and options")
    void bashCompletion() {
        requireTool("bash");
        Path script = target().resolve("tungate_completion");
        assertTrue(Files.isRegularFile(script), script + " (built by mvn package)");
        // Load it, then ask the completion function what 'tungate ctl c' and 'tungate run --net' complete to.
        String line = "source \"$0\"; complete -p tungate; "
                + "COMP_WORDS=(tungate ctl c); COMP_CWORD=2; COMP_LINE='tungate ctl c'; COMP_POINT=${#COMP_LINE}; "
                + "_complete_tungate; echo \"ctl: ${COMPREPLY[*]}\"; "
                + "COMP_WORDS=(tungate run --net); COMP_CWORD=2; COMP_LINE='tungate run --net'; COMP_POINT=${#COMP_LINE}; "
                + "_complete_tungate; echo \"run: ${COMPREPLY[*]}\"";
        Exec.Result r = Exec.run(Duration.ofSeconds(30), List.of("bash", "-c", line, script.toString()));
        r.expectOk("bash completion\n" + r.err());
        assertTrue(r.out().contains("-F _complete_tungate tungate"), r.out());
        assertTrue(r.out().contains("ctl: conns capture") || r.out().contains("ctl: capture conns"), r.out());
        assertTrue(r.out().contains("run: --netns"), r.out());
    }

    @Test
    @DisplayName("bin/tungate maps the class-data-sharing archive the build dumped for this JDK")
    void classDataSharingArchiveIsMapped() {
        // -Xshare:on turns "archive not usable" (wrong JDK, stale jar, bad path) from silence into a failed start.
        Exec.Result r = Exec.run(Duration.ofSeconds(60), List.of(ItEnv.home().resolve("bin/tungate").toString(),
                "--version"), java.util.Map.of("TUNGATE_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info"));
        r.expectOk("bin/tungate --version with -Xshare:on\n" + r.err());
        assertTrue(r.out().contains("dev.tungate.gateway.cli.Main source: shared objects file"),
                "tungate's own classes come from the archive");
    }

    @Test
    @DisplayName("systemd-analyze verify accepts config/tungate@.service for an instance, without a warning")
    void unitFileVerifies() throws IOException {
        requireTool("systemd-analyze");
        Path unit = ItEnv.home().resolve("config/tungate@.service");
        String text = Files.readString(unit);
        assertTrue(text.contains("ExecStart=/usr/local/bin/tungate run --netns %i"), text);
        // verify checks that ExecStart's program exists; point it at this checkout's launcher.
        Path dir = ItEnv.tempDir("unit-");
        Files.writeString(dir.resolve("tungate@.service"),
                text.replace("/usr/local/bin/tungate", ItEnv.launcher().toString()));
        Exec.Result r = Exec.run(Duration.ofSeconds(60),
                List.of("systemd-analyze", "verify", "--man=no", dir.resolve("tungate@box.service").toString()));
        System.out.println("systemd-analyze verify tungate@box.service: exit " + r.exit() + " " + r.out() + r.err());
        assertEquals(0, r.exit(), r.out() + r.err());
        // verify exits 0 on unknown keys and bad values too (it only warns); a warning about our file is a failure.
        assertEquals("", (r.out() + r.err()).lines().filter(l -> l.contains("tungate@")).reduce("", String::concat));
    }
}
