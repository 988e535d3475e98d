package dev.tungate.gateway.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.RootGate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * UDP, DNS, ICMP and ctl through the real {@code bin/tungate run} on a namespace of our own
 * (tg-gw2-it-PID), with the Linux kernel inside it as the client: dig for DNS, python3 sockets
 * for UDP and ping (raw ICMP, as ping(8) would). The resolver and the UDP echo server live in this
 * JVM on 127.0.0.1, so the DNS test also proves a resolver on host loopback works. Needs root and
 * /dev/net/tun; skipped otherwise unless CI=true.
 */
@DisplayName("UDP, DNS, ICMP and ctl through a running tungate")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServicesIT {
    private static final String NS = "tg-gw2-it-" + ProcessHandle.current().pid();
    /** The address every name resolves to (TEST-NET range of RFC 2544; never contacted). */
    private static final byte[] ANSWER = {(byte) 198, 18, 0, 7};
    /** A python3 client run inside the namespace: "ping DST" (two raw echoes) or "udp DST PORT" (one datagram). */
    private static final String CLIENT = """
            import socket, struct, sys, os
            def csum(b):
                b += b'\\0' * (len(b) % 2)
                s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
                return ~s & 0xffff
            def ping(dst):
                v6 = ':' in dst
                s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_RAW,
                                  socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
                s.settimeout(3)
                ident = os.getpid() & 0xffff
                for seq in (1, 2):
                    body = b'tungate-%d' % seq
                    t = 128 if v6 else 8
                    pkt = struct.pack('!BBHHH', t, 0, 0, ident, seq) + body
                    if not v6:
                        pkt = struct.pack('!BBHHH', t, 0, csum(pkt), ident, seq) + body
                    s.sendto(pkt, (dst, 0))
                    while True:
                        data, addr = s.recvfrom(2048)
                        m = data if v6 else data[(data[0] & 15) * 4:]
                        if struct.unpack('!BBHHH', m[:8])[0::3] == (129 if v6 else 0, ident) and m[6:8] == struct.pack('!H', seq):
                            print('reply %s %d %s' % (addr[0], seq, m[8:] == body)); break
            def udp(dst, port):
                s = socket.socket(socket.AF_INET6 if ':' in dst else socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(3); s.connect((dst, port)); s.send(b'hi')
                try:
                    print('got %s' % s.recv(100).decode())
                except ConnectionRefusedError:
                    print('refused')
            ping(sys.argv[2]) if sys.argv[1] == 'ping' else udp(sys.argv[2], int(sys.argv[3]))
            """;

    @TempDir
    static Path dir;
    private final List<AutoCloseable> cleanups = new ArrayList<>();
    private Path home;
    private Process tungate;
    private Path ctlSocket;
    private int echoPort;

    @BeforeAll
    void start() throws Exception {
        RootGate.requireRootAndTun();
        home = Path.of(System.getProperty("tungate.home", "../.."));
        assertTrue(Files.isExecutable(home.resolve("bin/tungate")), "no bin/tungate under " + home.toAbsolutePath());
        DatagramSocket resolver = serve("fake-resolver", ServicesIT::answer);
        DatagramSocket echo = serve("udp-echo", q -> concat("echo:".getBytes(StandardCharsets.US_ASCII), q));
        echoPort = echo.getLocalPort();
        sh("ip", "netns", "add", NS);
        cleanups.add(() -> sh("ip", "netns", "del", NS));
        ctlSocket = dir.resolve("ctl.sock");
        Path conf = dir.resolve("t.conf");
        Files.writeString(conf, "queues = 1\nresolver = 127.0.0.1:" + resolver.getLocalPort() + "\nctl = " + ctlSocket + "\n");
        tungate = new ProcessBuilder(home.resolve("bin/tungate").toString(), "run", "--netns", NS, "--config", conf.toString())
                .redirectError(dir.resolve("tungate.err").toFile()).start();
        cleanups.add(0, this::stopTungate);
        assertEquals("ready", firstLine(tungate, 60), "tungate did not start: " + Files.readString(dir.resolve("tungate.err")));
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : cleanups) {
            c.close();
        }
    }

    private void stopTungate() throws InterruptedException {
        tungate.destroy();   // SIGTERM: tungate resets its flows and removes the device
        if (!tungate.waitFor(10, TimeUnit.SECONDS)) {
            tungate.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** A UDP server on 127.0.0.1 answering each datagram with {@code reply(datagram)}, closed after the class. */
    private DatagramSocket serve(String name, java.util.function.UnaryOperator<byte[]> reply) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (;;) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    byte[] r = reply.apply(Arrays.copyOf(buf, p.getLength()));
                    s.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                }
            } catch (IOException closed) {
                // the class is done
            }
        }, name);
        t.setDaemon(true);
        t.start();
        cleanups.add(s::close);
        return s;
    }

    /** RFC 1035 §4.1: the query's ID and question, QR|RD|RA, one A record 198.18.0.7 (additional records dropped). */
    private static byte[] answer(byte[] q) {
        int end = 12;
        while (q[end] != 0) {
            end += (q[end] & 0xFF) + 1;
        }
        end += 5;   // root label, QTYPE, QCLASS
        byte[] a = Arrays.copyOf(q, end + 16);
        a[2] = (byte) 0x81;
        a[3] = (byte) 0x80;
        a[7] = 1;                 // ANCOUNT
        a[9] = 0;
        a[11] = 0;                // NSCOUNT, ARCOUNT
        byte[] rr = {(byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ANSWER[0], ANSWER[1], ANSWER[2], ANSWER[3]};
        System.arraycopy(rr, 0, a, end, rr.length);
        return a;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Runs a command (30 s at most) and returns its stdout; fails on a non-zero exit. */
    private static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": timed out");
        }
        String text = new String(out.join(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + text);
        return text;
    }

    private String inNs(String... cmd) throws Exception {
        return sh(prepend(cmd, "ip", "netns", "exec", NS));
    }

    private String client(String... args) throws Exception {
        return inNs(prepend(args, "python3", "-c", CLIENT));
    }

    private String ctl(String... args) throws Exception {
        return sh(prepend(args, home.resolve("bin/tungate").toString(), "ctl", "--socket", ctlSocket.toString()));
    }

    private static String[] prepend(String[] tail, String... head) {
        String[] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /** The first line p writes to stdout, waited for timeoutSeconds at most; null at EOF. */
    private static String firstLine(Process p, long timeoutSeconds) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(timeoutSeconds, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("dig @10.0.2.3 and @fd00::3 are answered by the resolver on host loopback")
    void dns() throws Exception {
        assertEquals("198.18.0.7\n", inNs("dig", "+short", "+time=3", "+tries=1", "@10.0.2.3", "example.test"));
        assertEquals("198.18.0.7\n", inNs("dig", "+short", "+time=3", "+tries=1", "@fd00::3", "example.test"));
    }

    @Test
    @DisplayName("UDP to the gateway address reaches a host-loopback server; a closed port is refused")
    void udp() throws Exception {
        assertEquals("got echo:hi\n", client("udp", "10.0.2.2", String.valueOf(echoPort)));
        int closed;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            closed = s.getLocalPort();
        }
        assertEquals("refused\n", client("udp", "10.0.2.2", String.valueOf(closed)));
    }

    @Test
    @DisplayName("ping 10.0.2.2 and fd00::2 are answered by host loopback")
    void ping() throws Exception {
        assertEquals("reply 10.0.2.2 1 True\nreply 10.0.2.2 2 True\n", client("ping", "10.0.2.2"));
        assertEquals("reply fd00::2 1 True\nreply fd00::2 2 True\n", client("ping", "fd00::2"));
    }

    @Test
    @DisplayName("ctl capture writes a pcap tshark reads; ctl stats counts the relays")
    void ctlCaptureAndStats() throws Exception {
        Path pcap = dir.resolve("cap.pcap");
        Process capture = new ProcessBuilder(home.resolve("bin/tungate").toString(), "ctl", "--socket", ctlSocket.toString(),
                "capture", pcap.toString(), "--seconds", "3").redirectErrorStream(true).start();
        assertEquals("capturing to " + pcap + " for 3 s", firstLine(capture, 30));
        client("ping", "10.0.2.2");
        assertTrue(capture.waitFor(30, TimeUnit.SECONDS), "capture did not end");
        assertEquals(0, capture.exitValue());
        // tshark warns on stderr when run as root; only its stdout is the answer.
        String types = sh("sh", "-c", "tshark -r '" + pcap + "' -Y icmp -T fields -e icmp.type 2>/dev/null");
        assertEquals("8\n0\n8\n0\n", types);
        String stats = ctl("stats");
        assertTrue(stats.lines().anyMatch(l -> l.matches("icmpEchoes +[1-9][0-9]*")), stats);
        assertTrue(stats.lines().anyMatch(l -> l.matches("framesIn +[1-9][0-9]*")), stats);
    }
}
