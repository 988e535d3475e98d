package dev.tungate.gateway.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A network namespace named tg-it-PID-N, with lo up; closing it deletes it. */
final class Netns implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);

    final String name;

    private Netns(String name) {
        this.name = name;
    }

    static Netns create() {
        return create("tg-it-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet());
    }

    /** A namespace of a given name (to re-create one after deleting it). */
    static Netns create(String name) {
        Netns ns = new Netns(name);
        Exec.run(IP_TIMEOUT, List.of("ip", "netns", "add", ns.name)).expectOk("ip netns add " + ns.name);
        try {
            ns.exec(IP_TIMEOUT, "ip", "link", "set", "lo", "up").expectOk("lo up in " + ns.name);
        } catch (RuntimeException | AssertionError e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Runs a command inside the namespace. */
    Exec.Result exec(Duration timeout, String... cmd) {
        return Exec.run(timeout, inside(cmd));
    }

    /** Runs a bash line inside the namespace (for pipes such as curl | sha256sum; pipefail is on). */
    Exec.Result sh(Duration timeout, String line) {
        return exec(timeout, "bash", "-o", "pipefail", "-c", line);
    }

    /** Starts a command inside the namespace; ip netns exec execs it, so the PID is the command's own. */
    Background start(String logName, String... cmd) {
        return Exec.start(ItEnv.log(logName), inside(cmd));
    }

    List<String> inside(String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(cmd));
        return all;
    }

    @Override
    public void close() {
        Exec.run(IP_TIMEOUT, List.of("ip", "netns", "del", name));
    }

    @Override
    public String toString() {
        return name;
    }
}
