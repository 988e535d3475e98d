package dev.tungate.gateway.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A process started by a test (server, client, gateway); closing it kills it and its children by PID. */
final class Background implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String what;

    Background(Process process, Path log, String what) {
        this.process = process;
        this.log = log;
        this.what = what;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        return Exec.read(log);
    }

    /** Waits at most timeout for the process to exit on its own; returns its exit status, or -1 if still running. */
    int waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Polls the log until a line equal to line appears; fails (with the log) if the process dies or time runs out. */
    Background awaitLine(String line, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!log().lines().anyMatch(l -> l.strip().equals(line))) {
            if (!alive() || System.nanoTime() > deadline) {
                close();
                org.junit.jupiter.api.Assertions.fail(this + " never printed '" + line + "'\n" + Exec.tail(log()));
            }
            Gateway.sleepMillis(20);
        }
        return this;
    }

    @Override
    public void close() {
        kill(process.toHandle());
    }

    @Override
    public String toString() {
        return what + " (pid " + process.pid() + ")";
    }

    /** SIGTERM to the children and then the process, SIGKILL to whatever is left after 3 s. */
    static void kill(ProcessHandle p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            p.onExit().get(3, TimeUnit.SECONDS);
        } catch (Exception stillThere) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
