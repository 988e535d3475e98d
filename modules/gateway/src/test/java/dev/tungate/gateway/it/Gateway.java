package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * The gateway under test serving one namespace: {@code bin/tungate run --netns NAME}, started and awaited until it
 * prints {@code ready}. With {@code -Dit.gateway=pasta} the same tests run against pasta configured with tungate's
 * addresses, to tell a test bug from a gateway bug; tungate-only checks then skip.
 */
final class Gateway implements AutoCloseable {
    static final String ADDRESS = "10.0.2.100";
    static final String HOST = "10.0.2.2";
    static final String DNS = "10.0.2.3";
    static final String HOST6 = "fd00::2";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    /** How a SIGTERM went. */
    record Stop(int exit, Duration took) { }

    final Netns ns;
    private final Background proc;
    private final boolean pasta;

    private Gateway(Netns ns, Background proc, boolean pasta) {
        this.ns = ns;
        this.proc = proc;
        this.pasta = pasta;
    }

    static boolean isPasta() {
        return "pasta".equals(System.getProperty("it.gateway"));
    }

    /** Starts the gateway on ns with extra run options and waits for it to be ready; fails with its log if not. */
    static Gateway start(Netns ns, String... options) {
        return start(ns, Map.of(), options);
    }

    /** As {@link #start(Netns, String...)}, with extra environment for the launcher (e.g. TUNGATE_JAVA_OPTS). */
    static Gateway start(Netns ns, Map<String, String> env, String... options) {
        return isPasta() ? startPasta(ns) : startTungate(ns, env, options);
    }

    private static Gateway startTungate(Netns ns, Map<String, String> env, String... options) {
        List<String> cmd = new ArrayList<>(List.of(ItEnv.launcher().toString(), "run", "--netns", ns.name));
        cmd.addAll(List.of(options));
        Path log = ItEnv.log("tungate-" + ns.name);
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(env);
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        Gateway gw = new Gateway(ns, new Background(p, log, String.join(" ", cmd)), false);
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> drainStdout(p, log, ready), "tungate-stdout-" + p.pid());
        drain.setDaemon(true);
        drain.start();
        boolean isReady;
        try {
            isReady = ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | InterruptedException e) {
            isReady = false;
        }
        if (!isReady) {
            String why = p.isAlive() ? "no 'ready' within " + READY_TIMEOUT : "exited " + gw.proc.waitFor(Duration.ofSeconds(2))
                    + " before 'ready'";
            gw.close();
            fail(String.join(" ", cmd) + ": " + why + "\n" + Exec.tail(gw.log()));
        }
        return gw;
    }

    /** Copies stdout into the log; completes ready with true at the line "ready", with false if stdout ends first. */
    private static void drainStdout(Process p, Path log, CompletableFuture<Boolean> ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            for (String line; (line = r.readLine()) != null; ) {
                w.write("[stdout] " + line + "\n");
                w.flush();
                if (line.strip().equals("ready")) ready.complete(true);
            }
        } catch (IOException ignored) {
            // The process went away; the waiter reads its exit status.
        } finally {
            ready.complete(false);
        }
    }

    private static Gateway startPasta(Netns ns) {
        Gateway gw = new Gateway(ns, Exec.start(ItEnv.log("pasta-" + ns.name), List.of("pasta", "--runas", "0", "-f",
                "-q", "-4", "--config-net", "-a", ADDRESS, "-n", "24", "-g", HOST, "-T", "none", "-U", "none",
                "--netns", ns.name)), true);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!Exec.run(Duration.ofSeconds(5), List.of("ip", "-n", ns.name, "route", "show", "default")).out()
                .contains(HOST)) {
            if (System.nanoTime() > deadline || !gw.proc.alive()) {
                gw.close();
                fail("pasta did not configure " + ns.name + "\n" + Exec.tail(gw.log()));
            }
            sleepMillis(50);
        }
        return gw;
    }

    long pid() {
        return proc.pid();
    }

    boolean alive() {
        return proc.alive();
    }

    String log() {
        return proc.log();
    }

    /** Skips a check that needs tungate itself (its ctl, its config) when running against pasta. */
    void requireTungate(String what) {
        Assumptions.assumeFalse(pasta, what + " is tungate's own; skipped under -Dit.gateway=pasta");
    }

    /** Waits at most timeout for the gateway to exit on its own; its exit status, -1 if still running. */
    int waitFor(Duration timeout) {
        return proc.waitFor(timeout);
    }

    /** Sends SIGTERM and waits at most cap for the exit. */
    Stop terminate(Duration cap) {
        long t0 = System.nanoTime();
        proc.process().destroy();
        int exit = proc.waitFor(cap);
        return new Stop(exit, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** True when this build lists a {@code ctl} subcommand in {@code tungate --help}. */
    static boolean hasCtl() {
        return !isPasta() && Exec.run(Duration.ofSeconds(20), List.of(ItEnv.launcher().toString(), "--help")).out()
                .lines().anyMatch(l -> l.strip().startsWith("ctl "));
    }

    /** Runs {@code tungate ctl ARGS} against this gateway's socket, /run/tungate/NAME.sock for namespace NAME. */
    Exec.Result ctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ItEnv.launcher().toString(), "ctl", "--socket",
                "/run/tungate/" + ns.name + ".sock"));
        cmd.addAll(List.of(args));
        return Exec.run(Duration.ofSeconds(20), cmd);
    }

    /** Number of open file descriptors of the gateway process. */
    int openFds() {
        try (var s = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        proc.close();
    }

    static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
