package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** Start and stop: `tungate exec` leaves nothing behind; SIGTERM in the middle of a transfer exits 0 promptly. */
@Isolated
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LifecycleIT {
    /** The issue asks for an exit within 2 s; asserted with headroom for a loaded CI machine, and logged. */
    private static final Duration STOP_CAP = Duration.ofSeconds(5);
    private static final Pattern TEST_NAME = Pattern.compile("tg-[a-z0-9]+-(\\d+)");

    @Test
    @DisplayName("tungate exec -- true exits 0 and leaves no namespace, device or process behind")
    void execTrue() throws IOException {
        ItEnv.require("nsenter"); // tungate exec runs CMD through nsenter (util-linux)
        Assumptions.assumeFalse(Gateway.isPasta(), "tungate exec is tungate's own");
        String marker = UUID.randomUUID().toString();
        Set<String> nsBefore = namespaces();
        Set<String> linksBefore = links();

        Exec.Result r = Exec.run(Duration.ofSeconds(60), List.of(ItEnv.launcher().toString(), "exec", "--", "true"),
                Map.of("TG_IT_MARKER", marker));
        System.out.printf("tungate exec -- true: exit %d in %d ms%n", r.exit(), r.took().toMillis());
        r.expectOk("tungate exec -- true");

        // Additions only: other test suites on the same machine may delete their own namespaces meanwhile.
        assertEquals(Set.of(), added(nsBefore, namespaces()), "named namespaces left behind");
        assertEquals(Set.of(), added(linksBefore, links()), "root namespace devices left behind");
        assertEquals(List.of(), processesWith(marker), "processes still carrying the exec's environment");
    }

    @Test
    @DisplayName("SIGTERM while a download runs: exit status 0 within 2 s (asserted with a 5 s cap)")
    void sigtermDuringTransfer() {
        try (Rig rig = Rig.open("nginx", "curl")) {
            Blob blob = rig.own(Blob.create(ItEnv.tempDir("www-term-"), "term.bin", 64L << 20, 7));
            int port = ItEnv.freePort();
            rig.own(Servers.nginx(blob.path().getParent(), port));
            Path got = ItEnv.tempFile("download");
            Background curl = rig.own(rig.ns.start("curl-term", "curl", "-sS", "--limit-rate", "8M", "-o",
                    got.toString(), "http://" + Gateway.HOST + ":" + port + "/term.bin"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (size(got) < (1 << 20)) {
                assertTrue(curl.alive() && System.nanoTime() < deadline, "download never got going: " + curl.log());
                Gateway.sleepMillis(20);
            }

            Gateway.Stop stop = rig.gw.terminate(STOP_CAP);
            System.out.printf("SIGTERM during transfer (%d bytes in): exit %d after %d ms%n", size(got), stop.exit(),
                    stop.took().toMillis());
            assertEquals(0, stop.exit(), "exit status after SIGTERM (-1: still running after " + STOP_CAP + ")");
            assertTrue(stop.took().compareTo(STOP_CAP) <= 0, "took " + stop.took());
        }
    }

    /**
     * What appeared meanwhile, less what other test suites on a shared machine are using right now: names that
     * follow the tests' convention tg-PART-PID of a process still alive (tungate exec itself has exited).
     */
    private static Set<String> added(Set<String> before, Set<String> after) {
        return after.stream().filter(x -> !before.contains(x)).filter(x -> !ownedByLiveTest(x)).collect(Collectors.toSet());
    }

    private static boolean ownedByLiveTest(String name) {
        Matcher m = TEST_NAME.matcher(name);
        return m.lookingAt() && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Stream<String> lines(List<String> cmd) {
        return Exec.run(Duration.ofSeconds(10), cmd).expectOk(String.join(" ", cmd)).out().lines();
    }

    /** Named namespaces, without the "(id: N)" that appears once a peer is assigned. */
    private static Set<String> namespaces() {
        return lines(List.of("ip", "netns", "list")).map(l -> l.split(" ")[0]).collect(Collectors.toSet());
    }

    /** Devices of the root namespace, by name ("7: tgit123h@tgit123p: <...>" gives "tgit123h@tgit123p"). */
    private static Set<String> links() {
        return lines(List.of("ip", "-o", "link", "show")).map(l -> l.split(":")[1].strip()).collect(Collectors.toSet());
    }

    /** PIDs of processes whose environment holds the marker (a leftover child of tungate exec would). */
    private static List<String> processesWith(String marker) throws IOException {
        byte[] needle = ("TG_IT_MARKER=" + marker).getBytes();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> contains(p.resolve("environ"), needle)).map(p -> p.getFileName().toString()).toList();
        }
    }

    private static boolean contains(Path file, byte[] needle) {
        try {
            return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (IOException gone) {
            return false;
        }
    }
}
