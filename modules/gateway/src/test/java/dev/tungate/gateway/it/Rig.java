package dev.tungate.gateway.it;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * One namespace served by one gateway, plus whatever a test class adds (servers, test hosts); closing the rig
 * closes everything in reverse order, so a failing test still leaves no namespace, device or process behind.
 */
final class Rig implements AutoCloseable {
    final Netns ns;
    final Gateway gw;
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    private Rig(Netns ns, Gateway gw) {
        this.ns = ns;
        this.gw = gw;
    }

    /** Checks the environment (root, TUN, the launcher, tools), creates a namespace and starts the gateway on it. */
    static Rig withOptions(List<String> gatewayOptions, String... tools) {
        return withEnv(Map.of(), gatewayOptions, tools);
    }

    /** As {@link #withOptions}, with extra environment for the gateway's launcher. */
    static Rig withEnv(Map<String, String> env, List<String> gatewayOptions, String... tools) {
        ItEnv.require(tools);
        Netns ns = Netns.create();
        try {
            return new Rig(ns, Gateway.start(ns, env, gatewayOptions.toArray(String[]::new)));
        } catch (RuntimeException | AssertionError e) {
            ns.close();
            throw e;
        }
    }

    static Rig open(String... tools) {
        return withOptions(List.of(), tools);
    }

    /** Closes resource when the rig closes; returns it for chaining. */
    <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    @Override
    public void close() {
        owned.push(gw);
        owned.addLast(ns);
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }
}
