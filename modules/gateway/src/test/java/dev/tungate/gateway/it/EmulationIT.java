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
    private static int httpPort, iperfPort;

    @BeforeAll
    static void up() throws Exception {
        httpPort = ItEnv.freePort();
        iperfPort = ItEnv.freePort();
        java.nio.file.Path conf = java.nio.file.Files.createTempFile("emu-it", ".conf");
        java.nio.file.Files.writeString(conf, String.join("\n",
                "impair.slow = delay=25ms",
                "impair.thin = down.rate=20mbit",
                "impair.synloss = syn-drop=2",
                "impair.cut = reset-after=1m",
                "impair.live = seed=1",
                "rule = 10.0.2.2/32:" + httpPort + " direct impair=cut",
                "rule = 10.0.2.2/32:" + iperfPort + " direct impair=live",
                "") + "\n");
        rig = Rig.withOptions(List.of("--config", conf.toString()), "ping", "iperf3", "python3");
        Background http = rig.own(Exec.start(ItEnv.log("emu-http"), List.of("python3", "-m", "http.server",
                Integer.toString(httpPort), "--bind", "127.0.0.1", "--directory", "/usr/bin")));
        Servers.awaitListening(http, "127.0.0.1", httpPort);
        Background iperf = rig.own(Exec.start(ItEnv.log("emu-iperf3"),
                List.of("iperf3", "-s", "-B", "127.0.0.1", "-p", Integer.toString(iperfPort))));
        Servers.awaitListening(iperf, "127.0.0.1", iperfPort);
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
}
