package dev.tungate.gateway.demo;

import dev.tungate.gateway.tcp.Segments;
import dev.tungate.gateway.tcp.TcpFlow;
import dev.tungate.gateway.tcp.TcpObserver;
import dev.tungate.tcp.Segment;
import dev.tungate.tcp.State;
import dev.tungate.wire.TcpOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Prints one connection segment by segment, both directions, with each side's state after it.
 * Rows wait for {@link #settled}: only once tungate's engine has handled (or finished sending)
 * a segment is its state the state "after" it. The client's state is the kernel's, read from
 * /proc at that moment; a segment tungate writes is processed by the namespace's kernel inside
 * the write(2) itself (tun_get_user -> netif_receive_skb), so the kernel has already reacted.
 */
final class DemoTrace implements TcpObserver {
    private final PrintStream out;
    private long startNanos = -1;
    /** The client port of the connection narrated; other flows (the warm-up fetch) are not shown. */
    private volatile int followPort = -1;
    private final List<String> pending = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile KernelTcpStates kernel;
    private int rows;
    private boolean haveIrs;
    private boolean haveIss;
    private int irs;
    private int iss;
    private String lastTungateState = "";

    DemoTrace(PrintStream out) {
        this.out = out;
    }

    /** The client thread's "PID/task/TID", so its namespace's /proc/net/tcp can be read. */
    void clientThread(String pidTaskTid) {
        kernel = new KernelTcpStates(pidTaskTid);
    }

    /** Narrate only the connection from this client port. */
    void follow(int clientPort) {
        followPort = clientPort;
    }

    private boolean followed(TcpFlow flow) {
        return flow.key().nsPort == followPort;
    }

    CountDownLatch closed() {
        return closed;
    }

    void header() {
        out.printf("%4s %9s  %-18s %-9s %6s %6s %6s %6s   %-16s %s%n",
                "#", "time", "direction", "flags", "seq", "ack", "len", "win", "client (kernel)", "tungate (engine)");
    }

    @Override
    public synchronized void segment(TcpFlow flow, boolean fromNamespace, Segment seg) {
        if (!followed(flow)) {
            return;
        }
        if (startNanos < 0) {
            startNanos = System.nanoTime();
        }
        if (fromNamespace && seg.has(Segment.SYN) && !haveIrs) {
            irs = seg.seq;
            haveIrs = true;
        }
        if (!fromNamespace && seg.has(Segment.SYN) && !haveIss) {
            iss = seg.seq;
            haveIss = true;
        }
        int seqBase = fromNamespace ? irs : iss;
        boolean ackKnown = seg.has(Segment.ACK) && (fromNamespace ? haveIss : haveIrs);
        int ackBase = fromNamespace ? iss : irs;
        String row = String.format("%4d %7.3fms  %-18s %-9s %6s %6s %6d %6d",
                ++rows, (System.nanoTime() - startNanos) / 1e6,
                fromNamespace ? "client -> tungate" : "tungate -> client", Segments.flags(seg.flags),
                Integer.toUnsignedString(seg.seq - seqBase), ackKnown ? Integer.toUnsignedString(seg.ack - ackBase) : "-",
                Segments.textLength(seg), seg.wnd);
        if (seg.has(Segment.SYN)) {
            row += "\n" + " ".repeat(17) + "options: " + options(seg.options);
        }
        pending.add(row);
    }

    @Override
    public synchronized void note(TcpFlow flow, String what) {
        if (!followed(flow)) {
            return;
        }
        flushRows(flow);
        out.println(" ".repeat(17) + "tungate: " + what);
    }

    @Override
    public synchronized void settled(TcpFlow flow) {
        if (!followed(flow)) {
            return;
        }
        flushRows(flow);
        String t = tungateState(flow);
        if (!t.equals(lastTungateState)) {
            String why = lastTungateState.equals(State.TIME_WAIT.name()) ? " (TIME-WAIT over after 2 x MSL)" : "";
            out.println(" ".repeat(17) + "tungate is now " + t + why);
            lastTungateState = t;
        }
        if (flow.state() == State.CLOSED && !flow.connecting()) {
            closed.countDown();
        }
    }

    private void flushRows(TcpFlow flow) {
        if (pending.isEmpty()) {
            return;
        }
        String client = clientState(flow);
        String t = tungateState(flow);
        for (String row : pending) {
            int nl = row.indexOf('\n');
            String first = nl < 0 ? row : row.substring(0, nl);
            out.printf("%s   %-16s %s%n", first, client, t);
            if (nl >= 0) {
                out.println(row.substring(nl + 1));
            }
        }
        pending.clear();
        lastTungateState = t;
    }

    private String clientState(TcpFlow flow) {
        KernelTcpStates k = kernel;
        return k == null ? "?" : k.state(flow.key().nsPort, flow.key().remotePort);
    }

    private static String tungateState(TcpFlow flow) {
        return flow.connecting() ? "(SYN held)" : flow.state().name();
    }

    private static String options(TcpOptions o) {
        StringBuilder b = new StringBuilder();
        if (o.mss >= 0) {
            b.append("mss=").append(o.mss).append(' ');
        }
        if (o.windowScale >= 0) {
            b.append("wscale=").append(o.windowScale).append(' ');
        }
        if (o.sackPermitted) {
            b.append("sackOK ");
        }
        if (o.hasTimestamps) {
            b.append("timestamps ");
        }
        return b.length() == 0 ? "none" : b.toString().trim();
    }
}
