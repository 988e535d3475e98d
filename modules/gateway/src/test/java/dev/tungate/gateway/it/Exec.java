package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs host commands with a time bound; output goes to files so a chatty child never blocks on a full pipe. */
final class Exec {
    private Exec() { }

    /** What a finished command left behind. */
    record Result(int exit, String out, String err, Duration took) {
        Result expectOk(String what) {
            if (exit != 0) fail(what + " exited " + exit + "\nstdout: " + tail(out) + "\nstderr: " + tail(err));
            return this;
        }
    }

    static Result run(Duration timeout, List<String> cmd) {
        return run(timeout, cmd, Map.of());
    }

    /** `ip ARGS...` (iproute2), which must succeed within 10 s: the tests' namespaces, veths and routes. */
    static void ip(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        run(Duration.ofSeconds(10), cmd).expectOk(String.join(" ", cmd));
    }

    /** Runs cmd to completion; a command still running after timeout is killed and fails the test. */
    static Result run(Duration timeout, List<String> cmd, Map<String, String> env) {
        Path out = ItEnv.tempFile("out");
        Path err = ItEnv.tempFile("err");
        long t0 = System.nanoTime();
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Background.kill(p.toHandle());
                fail("timed out after " + timeout + ": " + String.join(" ", cmd) + "\nstdout: " + tail(read(out))
                        + "\nstderr: " + tail(read(err)));
            }
            return new Result(p.exitValue(), read(out), read(err), Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd, e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    /** Starts cmd in the background, its stdout and stderr appended to log. */
    static Background start(Path log, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            return new Background(p, log, String.join(" ", cmd));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + cmd, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable " + file + ": " + e + ")";
        }
    }

    /** The last lines of a log, enough to explain a failure without flooding the report. */
    static String tail(String text) {
        String[] lines = text.split("\n");
        int from = Math.max(0, lines.length - 25);
        return String.join("\n", List.of(lines).subList(from, lines.length));
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A temp file left in target/ is harmless.
        }
    }
}
