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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The emulation stage through real tools (issue 9 "Proven by"): ping RTT under delay, iperf3 under a
 * rate, a client's connect under syn-drop, a download under reset-after, and a runtime profile change.
 * One gateway whose config gives each behaviour its own destination port (rules with impair=NAME),
 * so a flow without a profile runs beside them.
 */
@Isolated
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmulationIT {
    private static final Pattern RTT = Pattern.compile("rtt min/avg/max/mdev = [0-9.]+/([0-9.]+)/");
    private static final Pattern BPS = Pattern.compile("\"bits_per_second\":\\s*([0-9.e+]+)");
    private static Rig rig;
    private static int httpPort, iperfPort, echoPort, synPort;
    /** A line echo server: each connection gets back what it sends. */
    private static final String ECHO = "import socketserver,sys\n"
            + "class H(socketserver.BaseRequestHandler):\n"
            + "  def handle(self):\n"
            + "    while True:\n"
            + "      d=self.request.recv(4096)\n"
            + "      if not d: return\n"
            + "      self.request.sendall(d)\n"
            + "socketserver.ThreadingTCPServer.allow_reuse_address=True\n"
            + "socketserver.ThreadingTCPServer(('127.0.0.1',int(sys.argv[1])),H).serve_forever()\n";

    @BeforeAll
    static void up() throws Exception {
        httpPort = ItEnv.freePort();
        iperfPort = ItEnv.freePort();
        echoPort = ItEnv.freePort();
        synPort = ItEnv.freePort();
        java.nio.file.Path conf = java.nio.file.Files.createTempFile("emu-it", ".conf");
        java.nio.file.Files.writeString(conf, String.join("\n",
                "impair.slow = delay=25ms",
                "impair.thin = down.rate=20mbit",
                "impair.synloss = syn-drop=2",
                "impair.cut = reset-after=1m",
                "impair.live = seed=1",
                "rule = 10.0.2.2/32:" + httpPort + " direct impair=cut",
                "rule = 10.0.2.2/32:" + iperfPort + " direct impair=live",
                "rule = 10.0.2.2/32:" + synPort + " direct impair=synloss",
                "") + "\n");
        rig = Rig.withOptions(List.of("--config", conf.toString()), "ping", "iperf3", "python3");
        Background http = rig.own(Exec.start(ItEnv.log("emu-http"), List.of("python3", "-m", "http.server",
                Integer.toString(httpPort), "--bind", "127.0.0.1", "--directory", "/usr/bin")));
        Servers.awaitListening(http, "127.0.0.1", httpPort);
        Background iperf = rig.own(Exec.start(ItEnv.log("emu-iperf3"),
                List.of("iperf3", "-s", "-B", "127.0.0.1", "-p", Integer.toString(iperfPort))));
        Servers.awaitListening(iperf, "127.0.0.1", iperfPort);
        for (int port : new int[] {echoPort, synPort}) {
            Background echo = rig.own(Exec.start(ItEnv.log("emu-echo-" + port),
                    List.of("python3", "-c", ECHO, Integer.toString(port))));
            Servers.awaitListening(echo, "127.0.0.1", port);
        }
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }

    private static double pingAvgMillis() {
        Exec.Result r = rig.ns.sh(Duration.ofSeconds(20), "ping -c 10 -i 0.2 " + Gateway.HOST).expectOk("ping");
        Matcher m = RTT.matcher(r.out());
        assertTrue(m.find(), r.out());
        return Double.parseDouble(m.group(1));
    }

    private static double iperfMbit(int seconds) {
        Exec.Result r = rig.ns.sh(Duration.ofSeconds(seconds + 20), "iperf3 -c " + Gateway.HOST + " -p " + iperfPort
                + " -R -t " + seconds + " -J").expectOk("iperf3");
        int at = r.out().indexOf("\"sum_received\"");
        Matcher m = BPS.matcher(r.out());
        assertTrue(at > 0 && m.find(at), r.out());
        return Double.parseDouble(m.group(1)) / 1e6;
    }

    @Test
    void delayAndRateAndRuntimeChange() {
        // delay=25ms each way on ICMP echo: set on a profile at runtime, so the same gateway shows before and after.
        double before = pingAvgMillis();
        rig.gw.ctl("impair", "set", "all", "delay=25ms").expectOk("ctl impair set all");
        double rtt = pingAvgMillis();
        System.out.printf("ping: %.2f ms without, %.2f ms with delay=25ms%n", before, rtt);
        // The RTT the delay adds over the same path without it (the base RTT of a loaded test machine is not 0).
        assertTrue(Math.abs(rtt - before - 50) <= 3, "ping RTT with delay=25ms: " + rtt + " ms (" + before
                + " ms without), expected 50 ± 3 more");
        rig.gw.ctl("impair", "clear", "all").expectOk("ctl impair clear all");

        // down.rate=20mbit on a live profile, changed at runtime.
        double free = iperfMbit(3);
        rig.gw.ctl("impair", "set", "live", "down.rate=20mbit").expectOk("ctl impair set live");
        double shaped = iperfMbit(5);
        System.out.printf("iperf3 -R: %.1f Mbit/s without, %.2f Mbit/s with down.rate=20mbit%n", free, shaped);
        assertTrue(shaped >= 17 && shaped <= 20.4, "iperf3 through down.rate=20mbit: " + shaped + " Mbit/s, expected 17..20.4");
        String list = rig.gw.ctl("impair", "list").expectOk("ctl impair list").out();
        assertTrue(list.contains("live: down.rate=20mbit") || list.contains("live:"), list);
        Exec.Result bad = rig.gw.ctl("impair", "set", "live", "delay=x");
        assertEquals(1, bad.exit(), "a bad SPEC is an error answer");
        assertTrue(bad.err().contains("delay: found 'x'"), bad.err());
        rig.gw.ctl("impair", "clear", "live").expectOk("ctl impair clear live");
    }

    @Test
    void resetAfterResetsTheClientAfterOneMebibyte() {
        Exec.Result r = rig.ns.sh(Duration.ofSeconds(30), "python3 -c \"import socket\n"
                + "s=socket.create_connection(('" + Gateway.HOST + "'," + httpPort + "))\n"
                + "s.sendall(b'GET /python3 HTTP/1.0\\\\r\\\\n\\\\r\\\\n'); n=0\n"
                + "try:\n  while True:\n    d=s.recv(65536)\n    if not d: print('eof', n); break\n    n+=len(d)\n"
                + "except ConnectionResetError: print('reset', n)\n\"").expectOk("download");
        System.out.println("reset-after=1m: " + r.out().strip());
        assertTrue(r.out().startsWith("reset "), "expected a reset: " + r.out());
        long n = Long.parseLong(r.out().strip().split(" ")[1]);
        assertTrue(n > 900_000 && n <= 1 << 20, "bytes before the reset: " + n);
    }

    @Test
    void synDropTwoMakesTheConnectTakeThreeSeconds() {
        // Linux's initial RTO is 1 s (RFC 6298 §5.7): SYN at 0 s and 1 s dropped, the one at 3 s passes.
        Exec.Result r = rig.ns.sh(Duration.ofSeconds(30), "python3 -c \"import socket,time\n"
                + "t=time.monotonic(); s=socket.create_connection(('" + Gateway.HOST + "'," + synPort + "),timeout=20)\n"
                + "print('%.3f' % (time.monotonic()-t))\n\"").expectOk("connect");
        double seconds = Double.parseDouble(r.out().strip());
        System.out.printf("syn-drop=2: connect took %.3f s%n", seconds);
        assertTrue(seconds >= 2.5 && seconds <= 4.5, "connect through syn-drop=2: " + seconds + " s, expected ≈ 3 (2.5..4.5)");
        String list = rig.gw.ctl("impair", "list").expectOk("ctl impair list").out();
        System.out.print(list);
        assertTrue(list.contains("synloss: syn-drop=2\n  up: ") && list.contains("syn-drop=2)"), list);
    }

    @Test
    void impairFlowDelaysOneLiveFlowAndNotItsNeighbour() {
        // Two connections to one echo server ping-pong a byte every 50 ms for 12 s; as soon as ctl conns
        // shows them, one gets delay=100ms of its own (RTT +200 ms), the other must stay as it was. The
        // medians are over the last 3 s (each ctl call starts a JVM: seconds on a loaded machine).
        Background client = rig.own(rig.ns.start("emu-flow-client", "python3", "-u", "-c", "import socket,time\n"
                + "a=socket.create_connection(('" + Gateway.HOST + "'," + echoPort + "))\n"
                + "b=socket.create_connection(('" + Gateway.HOST + "'," + echoPort + "))\n"
                + "print('ports', a.getsockname()[1], b.getsockname()[1]); print('ready')\n"
                + "rtt={a:[],b:[]}; end=time.monotonic()+12\n"
                + "while time.monotonic()<end:\n"
                + "  for s in (a,b):\n"
                + "    t=time.monotonic(); s.sendall(b'x'); s.recv(1); rtt[s].append((t, time.monotonic()-t))\n"
                + "  time.sleep(0.05)\n"
                + "late=lambda s: sorted(r for t,r in rtt[s] if t>end-3)\n"
                + "print('a %.1f' % (1000*late(a)[len(late(a))//2])); print('b %.1f' % (1000*late(b)[len(late(b))//2]))\n"
                + "print('done')\n"));
        client.awaitLine("ready", Duration.ofSeconds(15));
        String[] ports = client.log().lines().filter(l -> l.startsWith("ports ")).findFirst().orElseThrow().split(" ");
        String flow = Gateway.ADDRESS + ":" + ports[1] + "-" + Gateway.HOST + ":" + echoPort;
        String conns = rig.gw.ctl("conns").expectOk("ctl conns").out();
        assertTrue(conns.contains(Gateway.ADDRESS + ":" + ports[1]) && conns.contains(Gateway.HOST + ":" + echoPort), conns);

        rig.gw.ctl("impair", "flow", flow, "delay=100ms").expectOk("ctl impair flow");
        Exec.Result badFlow = rig.gw.ctl("impair", "flow", "10.0.2.100-10.0.2.2:80", "delay=1ms");
        assertEquals(1, badFlow.exit(), "a bad FLOW is an error answer");
        assertTrue(badFlow.err().contains("impair flow: found '10.0.2.100-10.0.2.2:80', expected NSADDR:PORT-REMOTE:PORT"), badFlow.err());
        Exec.Result noFlow = rig.gw.ctl("impair", "flow", Gateway.ADDRESS + ":1-" + Gateway.HOST + ":1", "delay=1ms");
        assertEquals(1, noFlow.exit(), "a flow that is not live is an error answer");
        assertTrue(noFlow.err().contains("no live flow"), noFlow.err());
        Exec.Result badSpec = rig.gw.ctl("impair", "flow", flow, "delay=x");
        assertEquals(1, badSpec.exit(), "a bad SPEC is an error answer");
        assertTrue(badSpec.err().contains("delay: found 'x'"), badSpec.err());

        assertEquals(0, client.waitFor(Duration.ofSeconds(30)), client.log());
        double a = late(client.log(), "a "), b = late(client.log(), "b ");
        System.out.printf("impair flow delay=100ms: median RTT %.1f ms on the flow, %.1f ms on its neighbour%n", a, b);
        String list = rig.gw.ctl("impair", "list").expectOk("ctl impair list").out();
        System.out.print(list);
        assertTrue(a >= 195 && a <= 400, "RTT of the impaired flow: " + a + " ms, expected 200 + a little");
        assertTrue(b < 100, "RTT of the untouched flow: " + b + " ms, expected well under the 200 ms delay");
        assertTrue(list.contains("flow " + flow + ": delay=100ms"), list);
    }

    private static double late(String log, String prefix) {
        return Double.parseDouble(log.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length()));
    }
}
