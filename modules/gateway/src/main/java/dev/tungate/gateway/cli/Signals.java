package dev.tungate.gateway.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT as an orderly stop. A JVM shutdown hook would exit with 128 + signal; handling
 * the signals ourselves lets the command clean up and exit 0, as the contract of {@code run} says.
 */
final class Signals {
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile String received;
    private volatile boolean failed;

    /** Installs handlers for TERM and INT; each just releases {@link #await()}. */
    static Signals install() {
        return install("TERM", "INT");
    }

    /**
     * Installs handlers for the named signals. Those not named keep their effect: {@code exec}
     * ignores INT, so Ctrl-C reaches the command (same process group) and the command decides.
     */
    static Signals install(String... names) {
        Signals s = new Signals();
        for (String name : names) {
            Signal.handle(new Signal(name), sig -> {
                s.received = "SIG" + sig.getName();
                s.stop.countDown();
            });
        }
        return s;
    }

    /** Ignores SIGINT in this process (the terminal's Ctrl-C is for the child of {@code exec}). */
    static void ignoreInterrupt() {
        Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
    }

    /** Blocks until a signal arrives or {@link #trigger} is called; returns what stopped us. */
    String await() throws InterruptedException {
        stop.await();
        return received;
    }

    /** Stops waiting without a signal (e.g. the child of {@code exec} ended). */
    void trigger(String why) {
        if (received == null) {
            received = why;
        }
        stop.countDown();
    }

    /** Stops waiting because the gateway failed (e.g. its device vanished); {@link #failed()} then tells. */
    void fail(String why) {
        if (received == null) {
            received = why;
            failed = true;
        }
        stop.countDown();
    }

    /** True when {@link #await()} returned because of {@link #fail}, not a signal or {@link #trigger}. */
    boolean failed() {
        return failed;
    }

    /**
     * Halts with {@code status} if cleanup is still running after {@code millis}: the 2-second
     * promise of {@code run} holds even if a loop is stuck. The kernel removes the device when
     * the process's TUN fds close, so nothing is left behind.
     */
    static void watchdog(long millis, int status) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("tungate: cleanup took longer than " + millis + " ms; exiting anyway");
            Runtime.getRuntime().halt(status);
        }, "tungate-exit-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
