package dev.tungate.gateway.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as an orderly stop. A JVM shutdown hook would exit with 128 + signal; handling
 * the signals ourselves lets the command clean up and exit 0, as the contract of {@code run} says.
 */
final class Signals {
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile String received;

    /** Installs handlers for TERM and INT; each just releases {@link #await()}. */
    static Signals install() {
        Signals s = new Signals();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), sig -> {
                s.received = "SIG" + sig.getName();
                s.stop.countDown();
            });
        }
        return s;
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
