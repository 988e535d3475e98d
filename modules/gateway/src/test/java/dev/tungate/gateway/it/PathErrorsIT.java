package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The path behind the gateway as the namespace sees it (issue 8 item 10): the host reaches a test
 * host 198.18.P.6 through a router namespace (198.18.P.2 on the host's link, 198.18.P.5 on a far
 * link of MTU 1280). The gateway answers a TTL of 1 itself, sends the rest with one hop less, and
 * relays the routers' ICMP errors from its upstream sockets' error queues. Before, traceroute showed
 * only stars, a UDP datagram to a closed port behind the router was answered by the gateway's own
 * guess, and the namespace never learnt the far link's MTU. The gateway runs with its seccomp
 * filter on (recvmsg MSG_ERRQUEUE and the socket options are on the allow list).
 */
@Isolated
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PathErrorsIT {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
    private static Rig rig;
    private static String router;
    private static String target;

    @BeforeAll
    static void up() {
        rig = Rig.open("traceroute", "python3");
        long pid = ProcessHandle.current().pid();
        String net = "198.18." + (pid % 250 + 1) + ".";
        String dev = "tgpe" + pid % 1_000_000;
        Netns r = rig.own(Netns.create());
        Netns t = rig.own(Netns.create());
        rig.own(() -> Exec.run(IP_TIMEOUT, List.of("ip", "link", "del", dev + "a")));   // and its route
        Exec.ip("link", "add", dev + "a", "type", "veth", "peer", "name", dev + "b", "netns", r.name);
        Exec.ip("addr", "add", net + "1/30", "dev", dev + "a");
        Exec.ip("link", "set", dev + "a", "up");
        Exec.ip("-n", r.name, "addr", "add", net + "2/30", "dev", dev + "b");
        Exec.ip("-n", r.name, "link", "set", dev + "b", "up");
        Exec.ip("-n", r.name, "link", "add", dev + "c", "mtu", "1280", "type", "veth", "peer", "name", dev + "d", "netns", t.name);
        Exec.ip("-n", r.name, "addr", "add", net + "5/30", "dev", dev + "c");
        Exec.ip("-n", r.name, "link", "set", dev + "c", "up");
        Exec.ip("-n", t.name, "link", "set", dev + "d", "mtu", "1280");
        Exec.ip("-n", t.name, "addr", "add", net + "6/30", "dev", dev + "d");
        Exec.ip("-n", t.name, "link", "set", dev + "d", "up");
        Exec.ip("-n", t.name, "route", "add", "default", "via", net + "5");
        r.exec(IP_TIMEOUT, "sysctl", "-qw", "net.ipv4.ip_forward=1").expectOk("forwarding in " + r.name);
        Exec.ip("route", "add", net + "4/30", "via", net + "2");
        router = net + "2";
        target = net + "6";
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }


    /** traceroute's hop lines as "N ADDRESS" (one probe per hop, one at a time, numeric). */
    private static String traceroute(String... mode) {
        List<String> cmd = new java.util.ArrayList<>(List.of("traceroute", "-n", "-q", "1", "-N", "1", "-w", "2", "-m", "5"));
        cmd.addAll(List.of(mode));
        cmd.add(target);
        Exec.Result res = rig.ns.exec(CLIENT_TIMEOUT, cmd.toArray(String[]::new));
        StringBuilder hops = new StringBuilder();
        res.out().lines().skip(1).forEach(l -> {
            String[] f = l.strip().split("\\s+");
            hops.append(f[0]).append(' ').append(f[1]).append('\n');
        });
        return hops.toString();
    }

    private static String probe(String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "python3";
        cmd[1] = ItEnv.fixture("path_probe.py").toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        return rig.ns.exec(CLIENT_TIMEOUT, cmd).out().strip();
    }

    @Test
    @DisplayName("traceroute (UDP) shows the gateway, the router behind it and the destination")
    void tracerouteUdp() {
        assertEquals("1 " + Gateway.HOST + "\n2 " + router + "\n3 " + target + "\n", traceroute(), rig.gw.log());
    }

    @Test
    @DisplayName("traceroute -T (TCP SYN) shows the same hops: the router's time exceeded about the SYN is relayed")
    void tracerouteTcp() {
        assertEquals("1 " + Gateway.HOST + "\n2 " + router + "\n3 " + target + "\n", traceroute("-T", "-p", "9"), rig.gw.log());
    }

    @Test
    @DisplayName("A UDP datagram to a closed port behind the router: port unreachable from the destination")
    void portUnreachable() {
        String got = probe("udp", target, "4000", "100");
        assertTrue(got.startsWith("origin=2 type=3 code=3 info=0 from=" + target + " "), got + "\n" + rig.gw.log());
    }

    @Test
    @DisplayName("A 1400-byte UDP datagram with DF over the 1280 link: frag-needed with MTU 1280 from the router, the namespace's path MTU drops")
    void fragNeeded() {
        String got = probe("udp", target, "4001", "1400");
        assertTrue(got.equals("origin=2 type=3 code=4 info=1280 from=" + router + " mtu=1280"), got + "\n" + rig.gw.log());
    }
}
