package dev.tungate.gateway.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.ConnectionInfo;
import dev.tungate.gateway.shard.Counters;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayName("control socket and tungate ctl")
class CtlServerTest {
    @TempDir
    Path dir;

    private final LinkedBlockingQueue<Path> captures = new LinkedBlockingQueue<>();
    private final CountDownLatch captureStopped = new CountDownLatch(1);
    private CtlServer server;

    /** A gateway stand-in: fixed connections and counters; capture records its file and when it is stopped. */
    private final ControlTarget target = new ControlTarget() {
        @Override
        public List<ConnectionInfo> connections() {
            try {
                return CtlFormatTest.twoConnections();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public Counters stats() {
            Counters c = new Counters();
            c.udpFlows = 7;
            return c;
        }

        @Override
        public Closeable capture(Path pcap) throws IOException {
            if (pcap.getFileName().toString().equals("denied.pcap")) {
                throw new IOException(pcap + ": Permission denied");
            }
            captures.add(pcap);
            return captureStopped::countDown;
        }
    };

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private Path start() throws IOException {
        server = CtlServer.start(target, dir.resolve("run/gw.sock"));
        return server.path();
    }

    /** Runs `tungate ctl ARGS` through picocli; returns exit code, stdout and stderr. */
    private String[] ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CtlCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    @Test
    @DisplayName("ctl conns prints the table the gateway's connections make")
    void conns() throws Exception {
        Path sock = start();
        String[] r = ctl("--socket", sock.toString(), "conns");
        assertEquals("0", r[0], r[2]);
        assertEquals(CtlFormat.conns(CtlFormatTest.twoConnections()), r[1]);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(sock));
    }

    @Test
    @DisplayName("ctl stats prints the summed counters")
    void stats() throws Exception {
        Path sock = start();
        String[] r = ctl("--socket", sock.toString(), "stats");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].lines().anyMatch(l -> l.matches("udpFlows +7")), r[1]);
    }

    @Test
    @DisplayName("ctl capture --seconds 0 starts and stops a capture of the given file, made absolute")
    void captureForSeconds() throws Exception {
        Path sock = start();
        String[] r = ctl("--socket", sock.toString(), "capture", "rel.pcap", "--seconds", "0");
        assertEquals("0", r[0], r[2]);
        Path abs = Path.of("rel.pcap").toAbsolutePath();
        assertEquals(abs, captures.poll(5, TimeUnit.SECONDS));
        assertEquals("capturing to " + abs + " for 0 s\ncapture stopped: " + abs + "\n", r[1]);
        assertTrue(captureStopped.await(5, TimeUnit.SECONDS));
    }

    @Test
    @DisplayName("a capture without --seconds stops when the client hangs up (Ctrl-C)")
    void captureStopsOnHangup() throws Exception {
        Path sock = start();
        Path pcap = dir.resolve("x.pcap");
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            c.write(ByteBuffer.wrap(("capture -1 " + pcap + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer b = ByteBuffer.allocate(256);
            while (b.position() == 0 || b.get(b.position() - 1) != '\n') {
                c.read(b);
            }
            assertEquals("capturing to " + pcap + " until interrupted\n", new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
            assertEquals(1, captureStopped.getCount(), "still capturing while the client is connected");
        }
        assertTrue(captureStopped.await(5, TimeUnit.SECONDS), "hang-up stops the capture");
    }

    @Test
    @DisplayName("errors: the gateway's refusal, an unknown request, no gateway at all")
    void errors() throws Exception {
        Path sock = start();
        String[] r = ctl("--socket", sock.toString(), "capture", dir.resolve("denied.pcap").toString(), "--seconds", "1");
        assertEquals("1", r[0], r[1] + "|" + r[2]);
        assertEquals("tungate ctl: " + dir.resolve("denied.pcap") + ": Permission denied\n", r[2]);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(1, CtlCommand.exchange(sock, "reboot", new PrintWriter(out, true), new PrintWriter(err, true)));
        assertEquals("tungate ctl: unknown request 'reboot'; expected conns, stats, capture, impair or forward\n", err.toString());
        r = ctl("--socket", dir.resolve("none.sock").toString(), "stats");
        assertEquals("1", r[0]);
        assertTrue(r[2].startsWith("tungate ctl: cannot reach the gateway at " + dir.resolve("none.sock")), r[2]);
    }

    @Test
    @DisplayName("without --socket: the only live socket in the directory, else an error naming the choices")
    void findsTheOnlySocket() throws Exception {
        Files.createDirectories(dir.resolve("run"));
        IOException none = assertThrows(IOException.class, () -> CtlCommand.onlySocket(dir.resolve("run")));
        assertEquals("no control socket in " + dir.resolve("run") + "; expected a running tungate, or --socket PATH", none.getMessage());
        Path sock = start();
        assertEquals(sock, CtlCommand.onlySocket(dir.resolve("run")));
        Files.createFile(dir.resolve("run/stale.sock"));   // left by a gateway that was killed: nobody listens
        assertEquals(sock, CtlCommand.onlySocket(dir.resolve("run")));
        try (CtlServer other = CtlServer.start(target, dir.resolve("run/other.sock"))) {
            IOException two = assertThrows(IOException.class, () -> CtlCommand.onlySocket(dir.resolve("run")));
            assertEquals("2 gateways are running; expected --socket with one of [" + sock + ", " + other.path() + "]",
                    two.getMessage());
        }
    }

    @Test
    @DisplayName("a stale socket file is replaced; a live one is refused")
    void staleAndLiveSockets() throws Exception {
        Path path = dir.resolve("run/gw.sock");
        Files.createDirectories(path.getParent());
        Files.createFile(path);   // left behind by a gateway that died
        server = CtlServer.start(target, path);
        IOException e = assertThrows(IOException.class, () -> CtlServer.start(target, path));
        assertTrue(e.getMessage().contains("is in use by another tungate"), e.getMessage());
        assertTrue(Files.exists(path), "the live gateway's socket is untouched");
        assertEquals("0", ctl("--socket", path.toString(), "stats")[0]);
    }

    @Test
    @DisplayName("the socket appears at its path already 0600, bound in a private directory that is gone afterwards")
    void boundPrivately() throws Exception {
        Path sock = start();
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(sock));
        try (var entries = Files.list(sock.getParent())) {
            assertEquals(List.of(sock), entries.toList(), "nothing but the socket is left in its directory");
        }
    }

    @Test
    @DisplayName("2,000 idle connections hold no thread each, and each is closed with an error after the request timeout")
    void idleConnectionsTimeOutWithoutThreads() throws Exception {
        server = CtlServer.start(CtlRequests.standard(target), dir.resolve("run/gw.sock"), new CtlServer.Limits(5000, 300));
        List<SocketChannel> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) {
                idle.add(SocketChannel.open(UnixDomainSocketAddress.of(server.path())));
            }
            // Every connection is accepted before it is answered: the last one's answer means all were seen.
            assertEquals("error: no request within 300 ms; expected one line\n", readAll(idle.get(idle.size() - 1)));
            long ctlThreads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("tungate-ctl")).count();
            assertTrue(ctlThreads <= 2, ctlThreads + " control threads for 2,000 connections; expected the loop and the worker");
            for (int i = 0; i < idle.size() - 1; i++) {
                assertEquals("error: no request within 300 ms; expected one line\n", readAll(idle.get(i)), "connection " + i);
            }
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
        assertEquals("0", ctl("--socket", server.path().toString(), "stats")[0], "still serving");
    }

    @Test
    @DisplayName("beyond the connection cap a new connection is told 'busy' and closed; a freed slot serves again")
    void connectionCap() throws Exception {
        server = CtlServer.start(CtlRequests.standard(target), dir.resolve("run/gw.sock"), new CtlServer.Limits(3, 60_000));
        List<SocketChannel> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(SocketChannel.open(UnixDomainSocketAddress.of(server.path())));
        }
        try (SocketChannel fourth = SocketChannel.open(UnixDomainSocketAddress.of(server.path()))) {
            assertEquals("error: busy: 3 control connections open; expected at most 3\n", readAll(fourth));
        }
        held.remove(0).close();
        // The server notices the close on its loop, in its own time: retry (bounded) until a slot is free.
        String[] r = ctl("--socket", server.path().toString(), "stats");
        for (int i = 0; i < 100 && !r[0].equals("0"); i++) {
            Thread.sleep(20);
            r = ctl("--socket", server.path().toString(), "stats");
        }
        assertEquals("0", r[0], r[2]);
        for (SocketChannel c : held) {
            c.close();
        }
    }

    /** Reads until the server closes; the text it sent. */
    static String readAll(SocketChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (c.read(b) >= 0) {
            if (!b.hasRemaining()) {
                throw new IOException("answer longer than " + b.capacity() + " bytes");
            }
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("default socket path: /run/tungate/NAME.sock for a named namespace, else the pid")
    void defaultPath() {
        assertEquals(Path.of("/run/tungate/box.sock"), CtlServer.defaultPath("box"));
        assertEquals(Path.of("/run/tungate/box.sock"), CtlServer.defaultPath("/run/netns/box"));
        String pid = ProcessHandle.current().pid() + ".sock";
        assertEquals(Path.of("/run/tungate", pid), CtlServer.defaultPath("1234"));
        assertEquals(Path.of("/run/tungate", pid), CtlServer.defaultPath("/proc/1234/ns/net"));
        assertEquals(Path.of("/run/tungate", pid), CtlServer.defaultPath(null));
    }
}
