package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Fragments from the namespace (issue 8, item 10): the gateway runs with a 1280-byte MTU, so the
 * namespace's kernel cuts 4 KB UDP datagrams (IPv4 and IPv6) and a 3000-byte ICMP echo into
 * fragments; the gateway reassembles them and the whole reply must come back identical. Before
 * reassembly every one of these timed out (fragments were counted as drops).
 */
@Isolated
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FragmentsIT {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    private static Rig rig;
    private static TestHost host;

    @BeforeAll
    static void up() {
        rig = Rig.withOptions(List.of("--mtu", "1280"), "socat", "python3", "ss");
        host = rig.own(TestHost.create());
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }

    private static String probe(String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "python3";
        cmd[1] = ItEnv.fixture("frag_probe.py").toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        Exec.Result r = rig.ns.exec(CLIENT_TIMEOUT, cmd);
        return r.out().strip();
    }

    @Test
    @DisplayName("A 4000-byte UDP datagram over IPv4, fragmented at 1280, reaches a host echo server and comes back whole")
    void udp4() {
        udpEcho("udp4", "UDP4-RECVFROM", "127.0.0.1", Gateway.HOST);
    }

    @Test
    @DisplayName("A 4000-byte UDP datagram over IPv6 (Fragment header) comes back whole")
    void udp6() {
        udpEcho("udp6", "UDP6-RECVFROM", "[::1]", Gateway.HOST6);
    }

    /** A 4000-byte datagram to a socat echo on host loopback, through the gateway address, must come back whole. */
    private void udpEcho(String mode, String socatAddress, String bind, String gateway) {
        int port = ItEnv.freePort();
        try (Background echo = Exec.start(ItEnv.log("frag-echo-" + mode),
                List.of("socat", socatAddress + ":" + port + ",bind=" + bind + ",fork", "PIPE"))) {
            Servers.awaitUdpBound(echo, port);
            assertEquals("ok 4000", probe(mode, gateway, Integer.toString(port), "4000"), rig.gw.log());
        }
    }

    @Test
    @DisplayName("A 3000-byte ICMP echo (like ping -s 3000 -M dont) to a test host is answered whole")
    void icmpEcho() {
        assertEquals("ok 3000", probe("icmp", host.address, "3000"), rig.gw.log());
    }
}
