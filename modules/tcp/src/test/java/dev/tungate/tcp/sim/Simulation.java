package dev.tungate.tcp.sim;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.PriorityQueue;

/**
 * Two engines joined by two {@link SimLink}s on a virtual clock: a priority queue of events
 * ordered by (time, insertion order), so a run depends on nothing but its {@link Scenario}. The
 * client connects, the server listens; the run ends when both report CLOSED (after TIME-WAIT),
 * when nothing is left to happen, or when a budget of events or virtual time is spent.
 */
final class Simulation {
    /** Virtual time after which a run counts as stuck: far beyond any transfer plus 2 MSL. */
    static final long MAX_VIRTUAL_NANOS = 3_600_000_000_000L;
    static final long MAX_EVENTS = 50_000_000L;

    final Scenario scenario;
    final SimHost client;
    final SimHost server;
    final SimLink clientToServer;
    final SimLink serverToClient;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final StringBuilder trace;
    private long now;
    private long order;
    private long events;
    private String failure;

    private record Event(long at, long order, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /** @param trace where to log every packet and event, or null for none */
    Simulation(Scenario scenario, StringBuilder trace) {
        this.scenario = scenario;
        this.trace = trace;
        long streams = scenario.seed * 31 + 7;
        client = new SimHost(this, "client", scenario.clientConfig, scenario.client, scenario.server.bytesToSend(),
                streams, streams + 1, scenario.linkSeed ^ 0xC1);
        server = new SimHost(this, "server", scenario.serverConfig, scenario.server, scenario.client.bytesToSend(),
                streams + 1, streams, scenario.linkSeed ^ 0x5E);
        clientToServer = new SimLink(this, scenario.clientToServer, scenario.linkSeed + 1, "client>server");
        serverToClient = new SimLink(this, scenario.serverToClient, scenario.linkSeed + 2, "server>client");
        clientToServer.connectTo(server);
        serverToClient.connectTo(client);
        client.wire(clientToServer, server);
        server.wire(serverToClient, client);
    }

    long now() {
        return now;
    }

    void at(long atNanos, Runnable action) {
        queue.add(new Event(atNanos, order++, action));
    }

    /** Records the first failure; the run stops after the current event. */
    void fail(String why) {
        if (failure == null) {
            failure = "at " + millis(now) + ": " + why;
            trace("sim", null, "FAIL " + why);
        }
    }

    boolean tracing() {
        return trace != null;
    }

    void trace(String who, Packet pkt, String what) {
        if (trace != null) {
            trace.append(millis(now)).append(' ').append(who).append(' ');
            if (pkt != null) {
                trace.append(pkt).append(' ');
            }
            trace.append(what).append('\n');
        }
    }

    static String millis(long nanos) {
        return String.format("%.3fms", nanos / 1e6);
    }

    /** Runs the scenario to its end; returns null on success, else the failure. */
    String run() {
        at(0, () -> server.open(scenario.serverIss, false));
        at(0, () -> client.open(scenario.clientIss, true));
        try {
            while (failure == null && !(client.closed && server.closed)) {
                Event e = queue.poll();
                if (e == null) {
                    fail("nothing left to happen (no packet in flight, no timer armed): " + stats());
                    break;
                }
                if (++events > MAX_EVENTS || e.at > MAX_VIRTUAL_NANOS) {
                    fail("budget exhausted after " + events + " events: " + stats());
                    break;
                }
                now = e.at;
                e.action.run();
            }
        } catch (RuntimeException | AssertionError ex) {
            StringWriter w = new StringWriter();
            ex.printStackTrace(new PrintWriter(w));
            String[] lines = w.toString().split("\n");
            StringBuilder top = new StringBuilder();
            for (int i = 0; i < Math.min(8, lines.length); i++) {
                top.append("\n    ").append(lines[i].strip());
            }
            fail("engine threw " + top);
        }
        if (failure != null) {
            return failure;
        }
        String c = client.verdict();
        String s = server.verdict();
        if (c != null || s != null) {
            fail((c == null ? "" : c) + (s == null ? "" : s) + stats());
        }
        return failure;
    }

    long virtualNanos() {
        return now;
    }

    long events() {
        return events;
    }

    /** Packets the links lost, corrupted, dropped at a full queue, duplicated, reordered and CE-marked. */
    long[] impairments() {
        return new long[] {
            clientToServer.lost + serverToClient.lost, clientToServer.corrupted + serverToClient.corrupted,
            clientToServer.queueDrops + serverToClient.queueDrops, clientToServer.duplicated + serverToClient.duplicated,
            clientToServer.reordered + serverToClient.reordered, clientToServer.ceMarked + serverToClient.ceMarked
        };
    }

    String stats() {
        return "\n    " + client.stats() + "\n    " + server.stats() + "\n    " + clientToServer.stats() + "\n    "
                + serverToClient.stats();
    }
}
