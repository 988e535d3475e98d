package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Port forwarding host → namespace (issue 11) with real programs: python's http.server, socat and iperf3 in the
 * namespace, curl, python sockets and iperf3 on the host and on another test host (a second namespace on a veth,
 * 198.18.x). The gateway runs with its seccomp filter on (no --no-seccomp): accept4, bind and listen of the
 * forwards, at start and at runtime after confinement, are on the allow list.
 */
@Isolated
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ForwardIT {
    private static final long SIZE = 100L << 20;
    private static final Duration TRANSFER = Duration.ofMinutes(2);
    private static final Duration SHORT = Duration.ofSeconds(20);
    private static final Pattern GBPS = Pattern.compile("gbps=(\\S+)");
    private static Rig rig;
    private static Blob blob;
    private static Background http;
    private static VethHost client;
    private static Netns clientNs;
    private static int web, web6, closed, udp, upload, iperf;

    @BeforeAll
    static void up() {
        ItEnv.require("python3", "curl", "socat", "sha256sum", "iperf3", "ss");
        web = ItEnv.freePort();
        web6 = ItEnv.freePort();
        closed = ItEnv.freePort();
        udp = ItEnv.freePort();
        upload = ItEnv.freePort();
        iperf = ItEnv.freePort();
        rig = Rig.withOptions(List.of("--forward", "tcp:" + web + ":8000", "--forward", "tcp:[::1]:" + web6 + ":8000",
                "--forward", "tcp:" + closed + ":8001", "--forward", "udp:" + udp + ":5353",
                "--forward", "tcp:" + upload + ":8002", "--forward", "tcp:" + iperf + ":5201"));
        blob = rig.own(Blob.create(ItEnv.tempDir("fwd-www-"), "blob.bin", SIZE, 11));
        http = rig.own(rig.ns.start("fwd-http", "python3", "-u", "-m", "http.server", "-d",
                blob.path().getParent().toString(), "--bind", "::", "8000"));
        rig.own(rig.ns.start("fwd-udp-echo", "socat", "UDP6-LISTEN:5353,fork,reuseaddr", "EXEC:cat"));
        rig.own(rig.ns.start("fwd-sink", "socat", "TCP6-LISTEN:8002,fork,reuseaddr", "SYSTEM:sha256sum"));
        rig.own(rig.ns.start("fwd-iperf3", "iperf3", "-s", "-p", "5201"));
        clientNs = rig.own(Netns.create());
        client = rig.own(VethHost.create(clientNs, 0));
        for (String l : List.of("tcp 8000", "udp 5353", "tcp 8002", "tcp 5201")) {
            awaitBound(l.split(" ")[0], l.split(" ")[1]);
        }
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }

    private static void awaitBound(String proto, String port) {
        long deadline = System.nanoTime() + Servers.START_TIMEOUT.toNanos();
        while (!rig.ns.exec(SHORT, "ss", "-Hln" + proto.charAt(0), "sport = :" + port).out().contains(":" + port)) {
            assertTrue(System.nanoTime() < deadline, proto + " " + port + " never bound in " + rig.ns);
            Gateway.sleepMillis(50);
        }
    }

    private static String probe(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", ItEnv.fixture("forward_probe.py").toString()));
        cmd.addAll(List.of(args));
        return Exec.run(TRANSFER, cmd).expectOk("forward_probe " + String.join(" ", args)).out().strip();
    }

    @Test
    @DisplayName("100 MB from the namespace's server to curl on the host, sha256-identical; the server sees the gateway address")
    void getFromHost() {
        Exec.Result r = Exec.run(TRANSFER, List.of("bash", "-o", "pipefail", "-c",
                "curl -sS --fail http://127.0.0.1:" + web + "/blob.bin | sha256sum")).expectOk("curl via the forward");
        System.out.printf("forward GET %d MB from the host in %d ms%n", SIZE >> 20, r.took().toMillis());
        assertEquals(blob.sha256(), r.out().split(" ")[0], "sha256 of the body");
        assertTrue(http.log().contains("::ffff:" + Gateway.HOST + " - - "), "a host-loopback client appears as the gateway address\n"
                + http.log());
    }

    @Test
    @DisplayName("100 MB to another test host (second namespace, veth, 198.18.x), sha256-identical; the server logs its real address")
    void getFromTestHost() {
        Exec.Result r = clientNs.sh(TRANSFER, "curl -sS --fail http://" + client.rootAddress + ":" + web + "/blob.bin | sha256sum")
                .expectOk("curl from the test host");
        System.out.printf("forward GET %d MB from the test host in %d ms%n", SIZE >> 20, r.took().toMillis());
        assertEquals(blob.sha256(), r.out().split(" ")[0], "sha256 of the body");
        assertTrue(http.log().contains("::ffff:" + client.peerAddress + " - - "), "the server logs the test host's address "
                + client.peerAddress + "\n" + http.log());
    }

    @Test
    @DisplayName("100 MB up, then the client's FIN: the namespace's sink still answers its sha256 (half-close)")
    void uploadHalfClose() {
        String got = probe("upload", "127.0.0.1", Integer.toString(upload), blob.path().toString());
        assertEquals(blob.sha256() + "  -", got, "what the sink in the namespace hashed");
    }

    @Test
    @DisplayName("a closed port in the namespace: the host client is reset, never handed a clean close")
    void closedPort() {
        String got = probe("connect", "127.0.0.1", Integer.toString(closed));
        System.out.println("closed namespace port, host client saw: " + got);
        assertTrue(got.equals("reset") || got.equals("refused"), "expected a reset or refusal, got " + got);
    }

    @Test
    @DisplayName("an IPv6 forward on [::1] reaches the namespace's IPv6 address; the server sees the IPv6 gateway address")
    void ipv6() {
        Exec.Result r = Exec.run(TRANSFER, List.of("bash", "-o", "pipefail", "-c",
                "curl -sS --fail -g 'http://[::1]:" + web6 + "/blob.bin' | sha256sum")).expectOk("curl via [::1]");
        assertEquals(blob.sha256(), r.out().split(" ")[0], "sha256 of the body");
        assertTrue(http.log().contains(Gateway.HOST6 + " - - "), "an IPv6 loopback client appears as " + Gateway.HOST6 + "\n" + http.log());
    }

    @Test
    @DisplayName("a UDP forward: a datagram to the host port is echoed back by socat in the namespace")
    void udpEcho() {
        assertEquals("ping-through-forward", probe("udp", "127.0.0.1", Integer.toString(udp), "ping-through-forward"));
        assertEquals("from-the-test-host", clientNs.exec(SHORT, "python3", ItEnv.fixture("forward_probe.py").toString(), "udp",
                client.rootAddress, Integer.toString(udp), "from-the-test-host").expectOk("udp from the test host").out().strip());
    }

    @Test
    @DisplayName("ctl forward add, list (connection counts), remove (the live connection goes on, new ones refused); a taken port is one line")
    void runtime() {
        int port = ItEnv.freePort();
        String spec = "tcp:" + port + ":8000";
        assertEquals("forwarding " + spec, rig.gw.ctl("forward", "add", spec).expectOk("ctl forward add").out().strip());
        Background held = rig.own(Exec.start(ItEnv.log("fwd-hold"), List.of("python3", "-u",
                ItEnv.fixture("forward_probe.py").toString(), "hold", "127.0.0.1", Integer.toString(port), "25")));   // ctl starts a JVM: seconds each
        held.awaitLine("connected", SHORT);
        long deadline = System.nanoTime() + SHORT.toNanos();   // a few ctl calls within the 25 s hold
        String list;
        while (!(list = rig.gw.ctl("forward", "list").expectOk("ctl forward list").out()).contains(spec + "  active 1  total 1")) {
            assertTrue(System.nanoTime() < deadline, "ctl forward list never showed the held connection:\n" + list);
            Gateway.sleepMillis(50);
        }
        assertEquals("removed " + spec + " (1 connection(s) keep going)",
                rig.gw.ctl("forward", "remove", spec).expectOk("ctl forward remove").out().strip());
        assertEquals("refused", probe("connect", "127.0.0.1", Integer.toString(port)), "a new connection after remove");
        assertEquals(0, held.waitFor(Duration.ofSeconds(40)), "the held client\n" + held.log());
        assertTrue(held.log().contains("HTTP/1.0 200 OK"), "the connection made before remove still works:\n" + held.log());
        assertTrue(!rig.gw.ctl("forward", "list").out().contains(spec), "removed from the list");

        Exec.Result taken = rig.gw.ctl("forward", "add", "tcp:" + web + ":9");
        assertEquals(1, taken.exit(), "a taken host port is an error");
        assertEquals("tungate ctl: forward tcp:" + web + ":9: cannot listen on [::]:" + web
                + ": Address already in use; expected a free host port", taken.err().strip());
    }

    @Test
    @DisplayName("iperf3 through the forward vs the kernel over a veth into the same namespace (figures printed, no threshold)")
    void throughput() {
        try (VethHost direct = VethHost.create(rig.ns, 1)) {
            for (String dir : List.of("", " -R")) {
                String viaVeth = gbps(direct.peerAddress, 5201, dir);
                String viaForward = gbps("127.0.0.1", iperf, dir);
                double ratio = Double.parseDouble(viaForward) / Double.parseDouble(viaVeth);
                System.out.printf("iperf3%s 5 s: veth %s Gbit/s, forward %s Gbit/s, forward/veth %.2f%n",
                        dir.isEmpty() ? " (host -> namespace)" : " -R (namespace -> host)", viaVeth, viaForward, ratio);
                assertTrue(ratio > 0, "the forward moved bytes");
            }
        }
    }

    private static String gbps(String host, int port, String reverse) {
        Exec.Result r = Exec.run(Duration.ofSeconds(40), List.of("bash", "-o", "pipefail", "-c", "iperf3 -c " + host + " -p "
                + port + " -t 5" + reverse + " -J | python3 " + ItEnv.fixture("iperf_summary.py"))).expectOk("iperf3 to " + host);
        Matcher m = GBPS.matcher(r.out());
        assertTrue(m.find(), r.out());
        return m.group(1);
    }
}
