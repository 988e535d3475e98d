package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Issue 8 item 1, as the attacker did it: root in the namespace routes 127.0.0.0/8 into the TUN device
 * (lo's addresses flushed, {@code route_localnet=1}) and tries TCP, UDP and ping to a secret served on the host's
 * 127.0.0.1 only. The raw loopback address must be refused with and without --disable-host-loopback (TCP RST, UDP
 * and ping ICMP administratively prohibited, counted under {@code refused.HOST_LOOPBACK}); the gateway address
 * reaches the same secret without the flag, and is refused with it.
 */
@Isolated
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HostLoopbackIT {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> REFUSED = List.of("tcp refused ECONNREFUSED", "udp refused EHOSTUNREACH",
            "icmp unreachable code=13");
    private static final List<String> REACHED = List.of("tcp reached", "udp reached", "icmp reached");

    @Test
    @DisplayName("without the flag: host loopback only through the gateway address, never by 127.0.0.1")
    void onlyThroughGateway() {
        Assumptions.assumeFalse(Gateway.isPasta(), "tungate's policy");
        try (Rig rig = Rig.open("python3")) {
            int port = serve(rig);
            routeLoopbackIntoTun(rig.ns);
            assertEquals(REFUSED, probe(rig.ns, "127.0.0.1", port), "raw 127.0.0.1");
            assertEquals(REACHED, probe(rig.ns, Gateway.HOST, port), "gateway address");
            assertCounted(rig, "refused.HOST_LOOPBACK", 3);
        }
    }

    @Test
    @DisplayName("--disable-host-loopback: neither 127.0.0.1 nor the gateway address reaches the host's loopback")
    void nothingWithFlag() {
        Assumptions.assumeFalse(Gateway.isPasta(), "tungate's policy");
        try (Rig rig = Rig.withOptions(List.of("--disable-host-loopback"), "python3")) {
            int port = serve(rig);
            routeLoopbackIntoTun(rig.ns);
            assertEquals(REFUSED, probe(rig.ns, "127.0.0.1", port), "raw 127.0.0.1");
            assertEquals(REFUSED, probe(rig.ns, "127.0.0.2", port), "raw 127.0.0.2");
            assertEquals(REFUSED, probe(rig.ns, Gateway.HOST, port), "gateway address");
            assertCounted(rig, "refused.HOST_LOOPBACK", 6);
            assertCounted(rig, "refused.GATEWAY_DISABLED", 3);
        }
    }

    /** The secret on 127.0.0.1:port (TCP and UDP), owned by the rig. */
    private static int serve(Rig rig) {
        int port = ItEnv.freePort();
        rig.own(Servers.python("loopback_server.py", Integer.toString(port)));
        return port;
    }

    /** What a root process can do in its namespace to send 127.0.0.0/8 into the TUN device and accept the answers. */
    private static void routeLoopbackIntoTun(Netns ns) {
        ns.sh(PROBE_TIMEOUT, "ip addr flush dev lo && ip route add 127.0.0.0/8 dev tun0 src " + Gateway.ADDRESS
                + " && sysctl -qw net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.tun0.route_localnet=1"
                + " net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.tun0.rp_filter=0").expectOk("route 127/8 into tun0");
    }

    private static List<String> probe(Netns ns, String address, int port) {
        Exec.Result r = ns.exec(PROBE_TIMEOUT, "python3", ItEnv.fixture("loopback_probe.py").toString(), address,
                Integer.toString(port)).expectOk("probe " + address);
        return r.out().lines().toList();
    }

    private static void assertCounted(Rig rig, String counter, long expected) {
        String stats = rig.gw.ctl("stats").expectOk("tungate ctl stats").out();
        assertTrue(stats.lines().anyMatch(l -> l.matches(counter.replace(".", "\\.") + "\\s+" + expected)),
                counter + " = " + expected + " in\n" + stats);
    }
}
