package dev.tungate.gateway.demo;

import com.sun.net.httpserver.HttpServer;
import dev.tungate.gateway.Gateway;
import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.tun.Netns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code tungate demo}: one HTTP fetch through tungate, narrated segment by segment. Needs nothing
 * but root and /dev/net/tun: a tiny HTTP server on the host's 127.0.0.1, a fresh namespace with
 * tungate on it, and a client socket made by a thread inside the namespace that fetches
 * {@code http://10.0.2.2:PORT/} (the gateway address, which tungate maps to host loopback).
 */
public final class Demo {
    private static final String PAGE = "<html><body>Hello from the host's loopback, through tungate.</body></html>\n";
    /** Bound on every wait, so a broken setup ends the demo instead of hanging it. */
    private static final long WAIT_SECONDS = 10;

    private final PrintStream out;
    private final long mslMillis;

    public Demo(PrintStream out, long mslMillis) {
        this.out = out;
        this.mslMillis = mslMillis;
    }

    /** Runs the demo; returns 0 when the page arrived and both sides closed. */
    public int run() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        byte[] page = PAGE.getBytes(StandardCharsets.US_ASCII);
        server.createContext("/", ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, page.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(page);
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        GatewayConfig cfg = new GatewayConfig();
        cfg.queues = 1;
        cfg.mslNanos = TimeUnit.MILLISECONDS.toNanos(mslMillis);
        DemoTrace trace = new DemoTrace(out);
        Netns ns = Netns.create(null);
        cfg.netns = ns.path();
        Gateway gw;
        try {
            gw = Gateway.start(cfg, ns, true, trace);
        } catch (RuntimeException e) {
            ns.close();
            server.stop(0);
            throw e;
        }
        try {
            explain(cfg, port);
            trace.header();
            String response = ns.call(() -> fetch(cfg.gateway, port, trace));
            boolean closed = trace.closed().await(WAIT_SECONDS + 2 * mslMillis / 1000, TimeUnit.SECONDS);
            out.println();
            out.println("The client received " + response.length() + " bytes; the first line: "
                    + response.lines().findFirst().orElse("(nothing)"));
            if (closed) {
                out.println("Done: the client's socket is gone from the kernel (CLOSED), and tungate, which closed first,");
                out.println("left TIME-WAIT after 2 x MSL = " + 2 * mslMillis + " ms (RFC 9293 §3.3.2; Linux waits 60 s).");
            } else {
                out.println("tungate's side did not reach CLOSED within " + WAIT_SECONDS + " s.");
            }
            return closed && response.startsWith("HTTP/1.") ? 0 : 1;
        } finally {
            gw.close();
            server.stop(0);
        }
    }

    private void explain(GatewayConfig cfg, int port) {
        out.println("tungate demo: one TCP connection through tungate, segment by segment.");
        out.println();
        out.println("  host:      a tiny HTTP server on 127.0.0.1:" + port + " (the host's loopback)");
        out.println("  namespace: a fresh network namespace with " + cfg.tunName + " = " + cfg.address.getHostAddress()
                + "/" + cfg.prefixLength + ", default route via " + cfg.gateway.getHostAddress());
        out.println("  tungate:   reads the namespace's packets from " + cfg.tunName + ", runs its own TCP, and maps the");
        out.println("             gateway " + cfg.gateway.getHostAddress() + " to the host's 127.0.0.1 (as slirp4netns does)");
        out.println("  client:    a socket made by a thread inside the namespace sends 'GET / HTTP/1.0' to "
                + cfg.gateway.getHostAddress() + ":" + port);
        out.println();
        out.println("How to read the table:");
        out.println("  seq and ack are relative: each side's first sequence number (ISN) counts as 0; len is payload bytes;");
        out.println("  win is the window field as sent (before window scaling). 'client (kernel)' is the Linux kernel's");
        out.println("  state of the client socket, read from /proc/<client thread>/net/tcp6 right after the segment");
        out.println("  (the client program may already have acted on it, e.g. closed after reading the last byte);");
        out.println("  'tungate (engine)' is the state of tungate's TCP engine after it handled or sent the segment.");
        out.println("  time counts from the SYN and includes this narration (reading /proc, printing each row).");
        out.println("  tungate holds the client's SYN until the real server accepts, so the client's connect() sees");
        out.println("  what the server said. MSL is " + mslMillis + " ms here so TIME-WAIT ends quickly.");
        out.println();
    }

    /**
     * On a thread inside the namespace: one silent warm-up fetch (so the narrated one does not pay
     * for class loading and JIT), then the narrated one: connect, send the request, read to EOF, close.
     */
    private static String fetch(InetAddress gateway, int port, DemoTrace trace)
            throws IOException, InterruptedException {
        trace.clientThread(Files.readSymbolicLink(Path.of("/proc/thread-self")).toString());
        fetchOnce(gateway, port, null);
        String page = fetchOnce(gateway, port, trace);
        // The thread's /proc entry is how the trace reads the kernel's state: keep it until tungate is done.
        trace.closed().await(WAIT_SECONDS, TimeUnit.SECONDS);
        return page;
    }

    private static String fetchOnce(InetAddress gateway, int port, DemoTrace traceOrNull) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (Socket s = new Socket()) {
            s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            s.bind(null);
            if (traceOrNull != null) {
                traceOrNull.follow(s.getLocalPort());
            }
            s.connect(new InetSocketAddress(gateway, port), (int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + gateway.getHostAddress() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            in.transferTo(got);
        }
        return got.toString(StandardCharsets.US_ASCII);
    }
}
