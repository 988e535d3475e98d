package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Path MTU for the engine's own segments (issue 10, RFC 1191 / 5927): a client namespace sits behind
 * the gateway's namespace, which forwards to it over a veth of MTU 1280, while the client announces
 * MSS 1460 (route advmss). tungate's full-size segments (DF set) cannot cross that hop: the
 * namespace's kernel answers each with ICMP fragmentation needed, MTU 1280, toward the server
 * address, that is into the TUN. The gateway hands it to the flow, whose engine lowers its MSS and
 * resends. Before, the ICMP was ignored, every full-size segment was lost and the download stalled.
 */
@Isolated
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PathMtuIT {
    private static final long SIZE = 8L << 20;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
    private static Rig rig;
    private static Netns client;
    private static Blob blob;

    @BeforeAll
    static void up() {
        rig = Rig.open("nginx", "curl", "sha256sum");
        blob = rig.own(Blob.create(ItEnv.tempDir("pmtu-"), "blob.bin", SIZE, 7));
        client = rig.own(Netns.create());
        String dev = "tgpm" + ProcessHandle.current().pid() % 1_000_000;
        Exec.ip("-n", rig.ns.name, "link", "add", dev + "a", "mtu", "1280", "type", "veth", "peer", "name", dev + "b", "netns", client.name);
        Exec.ip("-n", rig.ns.name, "addr", "add", "10.77.0.1/30", "dev", dev + "a");
        Exec.ip("-n", rig.ns.name, "link", "set", dev + "a", "up");
        Exec.ip("-n", client.name, "addr", "add", "10.77.0.2/30", "dev", dev + "b");
        Exec.ip("-n", client.name, "link", "set", dev + "b", "up");
        Exec.ip("-n", client.name, "route", "add", "default", "via", "10.77.0.1", "advmss", "1460");
        rig.ns.exec(IP_TIMEOUT, "sysctl", "-qw", "net.ipv4.ip_forward=1").expectOk("forwarding in " + rig.ns.name);
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }


    @Test
    @DisplayName("8 MB through a 1280-byte hop behind the gateway: frag-needed lowers the flow's MSS, the body arrives byte-identical")
    void downloadThroughSmallerHop() {
        int port = ItEnv.freePort();
        try (Background nginx = Servers.nginx(blob.path().getParent(), port)) {
            Exec.Result r = client.sh(TRANSFER_TIMEOUT, "curl -sS --fail --max-time 50 http://" + Gateway.HOST + ":" + port
                    + "/blob.bin | sha256sum");
            assertEquals(blob.sha256(), r.out().split(" ")[0], "sha256 of the body\n" + r.err() + "\n" + rig.gw.log());
        }
        String stats = rig.gw.ctl("stats").out();
        assertTrue(stats.lines().anyMatch(l -> l.matches("tcpPathMtuLowered\\s+[1-9]\\d*")), stats);
    }
}
