package dev.tungate.tun;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared by the tests that need root and /dev/net/tun: the skip-or-fail gate, unique names, bounded commands. */
final class TunTestSupport {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid();

    private TunTestSupport() { }

    /** Skips without root or /dev/net/tun; under CI=true fails instead, because CI must run these tests. */
    static void requireRootAndTun() {
        boolean root;
        try {
            root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            root = false;
        }
        boolean ok = root && Files.exists(Path.of("/dev/net/tun"));
        String why = "needs root and /dev/net/tun (root=" + root + ")";
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(ok, why);
        } else {
            assumeTrue(ok, why);
        }
    }

    /** A name unique to this JVM and call, e.g. tg-tun-1234-7 (namespaces) or tgt1234x7 (devices, 15 bytes max). */
    static String nsName() {
        return "tg-tun-" + PID + "-" + SEQ.incrementAndGet();
    }

    static String devName() {
        return "tgt" + (PID % 1_000_000) + "x" + SEQ.incrementAndGet();
    }

    /** The result of a finished command. */
    record Result(int exit, String output) { }

    /** Runs cmd with stderr merged, killing it (by its own PID) after timeoutSeconds. */
    static Result run(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                return new Result(-1, "timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
