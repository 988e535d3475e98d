package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Issue 8 item 5 through the real device: a new UDP flow's first burst (sent at once from one socket in the
 * namespace to an echo server on host loopback, through the gateway address) all comes back; before, 16 did.
 */
@Isolated
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class UdpBurstIT {
    private static Rig rig;
    private static int port;

    @BeforeAll
    static void up() {
        rig = Rig.open("python3");
        port = ItEnv.freePort();
        rig.own(Servers.python("loopback_server.py", Integer.toString(port)));
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }

    @ParameterizedTest(name = "{0} datagrams at once")
    @ValueSource(ints = {50, 200})
    @DisplayName("every datagram of a new flow's first burst is echoed")
    void firstBurstComesBack(int count) {
        Exec.Result r = rig.ns.exec(Duration.ofSeconds(30), "python3", ItEnv.fixture("udp_burst.py").toString(),
                Gateway.HOST, Integer.toString(port), Integer.toString(count)).expectOk("udp burst");
        assertEquals("back " + count, r.out().strip());
        if (!Gateway.isPasta()) {
            String stats = rig.gw.ctl("stats").expectOk("tungate ctl stats").out();
            assertTrue(stats.lines().anyMatch(l -> l.matches("udpSetupDrops\\s+0")), stats);
        }
    }
}
