package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.cli.NotifyListener;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * tungate under a supervisor: readiness told three ways (--ready-fd, --pid-file, sd_notify to a socket this
 * test listens on, as systemd does), one log line at start and one at stop with an ISO-8601 date, and exec
 * silent on success. The unit file and the generated man pages and completion are in {@link PackagingIT}.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ServiceIT {
    /** yyyy-MM-ddTHH:mm:ss.SSS plus a UTC offset (Z or +hh:mm). */
    private static final String ISO_8601 = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})";

    @Test
    @DisplayName("run: '1' on --ready-fd, the PID in --pid-file, READY=1 then STOPPING=1 on NOTIFY_SOCKET; two log lines")
    void runTellsItsSupervisor() throws Exception {
        ItEnv.require();
        Path dir = ItEnv.tempDir("service-");
        Path readyFile = dir.resolve("ready-fd");
        Path pidFile = dir.resolve("tungate.pid");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        // An abstract socket, as systemd's own NOTIFY_SOCKET is (@/org/freedesktop/systemd1/notify).
        try (Netns ns = Netns.create();
             NotifyListener systemd = new NotifyListener("@tg-it-notify-" + ProcessHandle.current().pid())) {
            // fd 3 is set up by the shell, which then execs the launcher, which execs java: one PID throughout.
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec \"$0\" run --netns \"$1\" --ready-fd 3 --pid-file \"$2\" 3>\"$3\"",
                    ItEnv.launcher().toString(), ns.name, pidFile.toString(), readyFile.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("NOTIFY_SOCKET", systemd.address());
            pb.environment().remove("TUNGATE_LOG_LEVEL");
            Process p = pb.start();
            try (Background gw = new Background(p, err, "tungate run with readiness")) {
                String ready = systemd.next(60, TimeUnit.SECONDS);
                assertTrue(ready != null && ready.startsWith("READY=1\n"), "READY=1 on NOTIFY_SOCKET, got " + ready
                        + "\n" + Exec.read(err));
                assertEquals("1", Files.readString(readyFile), "--ready-fd");
                assertEquals(p.pid() + "\n", Files.readString(pidFile), "--pid-file");
                assertEquals("ready\n", Exec.read(out));

                p.destroy(); // SIGTERM, as systemctl stop sends
                assertEquals("STOPPING=1", systemd.next(10, TimeUnit.SECONDS));
                assertEquals(0, gw.waitFor(Duration.ofSeconds(10)), "exit status after SIGTERM\n" + Exec.read(err));
            }
            assertFalse(Files.exists(pidFile), "the PID file is removed at exit");
            List<String> lines = Exec.read(err).lines().toList();
            System.out.println("tungate run stderr:\n" + String.join("\n", lines));
            assertEquals(2, lines.size(), "one INFO line at start, one at stop: " + lines);
            assertTrue(lines.get(0).matches(ISO_8601 + " INFO .*tungate ready: netns=" + ns.name + " .*"), lines.get(0));
            assertTrue(lines.get(1).matches(ISO_8601 + " INFO .*tungate stopped \\(SIGTERM\\): tun0 removed"), lines.get(1));
        }
    }

    @Test
    @DisplayName("--ready-fd that is not open: exit 2 before the namespace is touched")
    void readyFdNotOpen() {
        ItEnv.require();
        try (Netns ns = Netns.create()) {
            Exec.Result r = Exec.run(Duration.ofSeconds(30),
                    List.of(ItEnv.launcher().toString(), "run", "--netns", ns.name, "--ready-fd", "9"));
            assertEquals(2, r.exit(), r.err());
            assertEquals("tungate: --ready-fd 9 is not an open file descriptor: expected one the caller passed, "
                    + "e.g. 'tungate run --ready-fd 3 ... 3>FILE'", r.err().strip());
        }
    }

    @Test
    @DisplayName("tungate exec -- CMD: CMD's output only, nothing on stderr on success (as pasta -- CMD)")
    void execIsSilent() {
        ItEnv.require("nsenter");
        Exec.Result r = Exec.run(Duration.ofSeconds(60),
                List.of(ItEnv.launcher().toString(), "exec", "--", "sh", "-c", "echo inside; exit 0"),
                Map.of("TUNGATE_LOG_LEVEL", ""));
        r.expectOk("tungate exec");
        assertEquals("inside\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    @DisplayName("tungate exec -v: the start and stop come back on request")
    void execVerbose() {
        ItEnv.require("nsenter");
        Exec.Result r = Exec.run(Duration.ofSeconds(60),
                List.of(ItEnv.launcher().toString(), "exec", "-vv", "--", "true"), Map.of("TUNGATE_LOG_LEVEL", ""));
        r.expectOk("tungate exec -vv");
        assertTrue(r.err().contains("tungate starting: "), r.err());
        assertTrue(r.err().contains("counters at stop: "), r.err());
    }

    @Test
    @DisplayName("--log-format json: one JSON object per line (log4j2 JsonTemplateLayout, ECS)")
    void jsonLogs() throws IOException {
        ItEnv.require("nsenter");
        Exec.Result r = Exec.run(Duration.ofSeconds(60),
                List.of(ItEnv.launcher().toString(), "exec", "--log-format", "json", "--log-level", "debug", "--", "true"),
                Map.of("TUNGATE_LOG_LEVEL", ""));
        r.expectOk("tungate exec --log-format json");
        List<String> lines = r.err().lines().toList();
        assertFalse(lines.isEmpty(), "debug lines expected");
        for (String l : lines) {
            assertTrue(l.startsWith("{\"@timestamp\":\"") && l.endsWith("}") && l.contains("\"log.level\":\""), l);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("tungate starting: ")), r.err());
    }
}
